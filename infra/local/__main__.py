"""``python -m infra.local demo|serve`` - the local runtime on embedded AWS."""

from __future__ import annotations

import argparse
from pathlib import Path


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="simulate a week of a shop and print its KPIs")
    demo.add_argument("--carts", type=int, default=300)
    demo.add_argument("--out", type=Path, default=Path("out"))
    serve = sub.add_parser("serve", help="serve the API on 127.0.0.1 for manual tries")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--out", type=Path, default=Path("out"))
    return parser.parse_args()


def main() -> None:
    arguments = _arguments()
    if arguments.command == "demo":
        from infra.local.demo import main as demo

        demo(arguments.out, arguments.carts)
    else:
        from infra.local.serve import main as serve

        serve(arguments.out, arguments.port)


if __name__ == "__main__":
    main()
