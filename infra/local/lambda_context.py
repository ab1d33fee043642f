"""The part of a Lambda context that Powertools reads, for invoking handlers locally."""

from __future__ import annotations

from dataclasses import dataclass

from infra.local.stack import ACCOUNT, REGION


@dataclass(frozen=True)
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 256
    aws_request_id: str = "local"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"
