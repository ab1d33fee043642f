"""Signed routes through which a shop reads and changes its settings, and erases a customer.

``GET|PUT /v1/policy``, ``PUT /v1/texts``, ``PUT /v1/brand``, ``PUT /v1/templates``: a change is validated
whole; an invalid one gets 422 naming each field and the stored settings stay as they were.
``POST /v1/erase``: a customer's erasure request, passed on by the shop.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ConfigDict, Field

from relance.core.cart.events import Email
from relance.core.sequence.policy import ShopPolicy
from relance.core.shop import Brand
from relance.http.auth import SIGNED, signed, signed_shop
from relance.http.errors import SIGNED_ROUTE_ANSWERS, Invalid, documented
from relance.http.responses import json_response
from relance.services.erase import erase_customer
from relance.services.settings import ShopTexts, set_brand, set_policy, set_texts
from relance.wiring import adapters

router = APIGatewayHttpRouter()


def _answers(description: str, model: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    return {**SIGNED_ROUTE_ANSWERS, 200: documented(description, model)}


@router.get(
    "/v1/policy", middlewares=[signed()], security=SIGNED, responses=_answers("the shop's policy", ShopPolicy)
)
def get_policy() -> Response[str]:
    return json_response(200, signed_shop(router).policy.model_dump(mode="json"))


@router.put(
    "/v1/policy", middlewares=[signed()], security=SIGNED, responses=_answers("the policy stored", ShopPolicy)
)
def put_policy(policy: Annotated[ShopPolicy, Body()]) -> Response[str]:
    """Replace the shop's policy whole (docs/policy.md)."""
    stored = set_policy(adapters(), signed_shop(router), policy)
    return json_response(200, stored.model_dump(mode="json"))


@router.put(
    "/v1/texts", middlewares=[signed()], security=SIGNED, responses=_answers("the texts stored", ShopTexts)
)
def put_texts(texts: Annotated[ShopTexts, Body()]) -> Response[str]:
    """Replace the shop's reassurance texts and content blocks (docs/emails.md)."""
    stored = set_texts(adapters(), signed_shop(router), texts)
    return json_response(200, stored.model_dump(mode="json"))


class BrandAnswer(BaseModel):
    brand: Brand
    button_colour: str
    button_text_colour: str = Field(description="white or black, whichever contrasts more")
    button_contrast: float = Field(description="at least 4.5 (WCAG AA)")
    name_colour: str = Field(description="the shop's name in the header")
    notes: list[str] = Field(description="what fell back to keep 4.5:1, and why")


@router.put(
    "/v1/brand", middlewares=[signed()], security=SIGNED, responses=_answers("the brand stored", BrandAnswer)
)
def put_brand(brand: Annotated[Brand, Body()]) -> Response[str]:
    """Replace the shop's logo and colour in its emails (docs/emails.md#brand)."""
    colours = set_brand(adapters(), signed_shop(router), brand)
    answer = BrandAnswer(
        brand=brand,
        button_colour=colours.button,
        button_text_colour=colours.button_text,
        button_contrast=colours.button_contrast,
        name_colour=colours.name,
        notes=list(colours.notes),
    )
    return json_response(200, answer.model_dump(mode="json"))


class ErasureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email


class Erased(BaseModel):
    carts_erased: int
    suppression_kept: bool


@router.post(
    "/v1/erase",
    middlewares=[signed(allow_suspended=True)],
    security=SIGNED,
    responses=_answers("what was erased", Erased),
)
def erase(request: Annotated[ErasureRequest, Body()]) -> Response[str]:
    """GDPR erasure of one customer of the shop: their carts and contact record (a suspended
    shop may still pass on its customers' erasure requests)."""
    erased = erase_customer(adapters(), signed_shop(router), str(request.email))
    answer = Erased(carts_erased=erased.carts, suppression_kept=erased.kept_suppression)
    return json_response(200, answer.model_dump(mode="json"))


class TemplateUpload(BaseModel):
    """The shop's own templates: copies of ours, edited (docs/emails.md#your-own-templates)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    html: str | None = Field(default=None, alias="reminder.html")
    text: str | None = Field(default=None, alias="reminder.txt")

    def by_name(self) -> dict[str, str]:
        return {name: source for name, source in self.model_dump(by_alias=True).items() if source is not None}


class TemplatesStored(BaseModel):
    templates: list[str]


@router.put(
    "/v1/templates",
    middlewares=[signed()],
    security=SIGNED,
    responses={
        **_answers("the template names stored", TemplatesStored),
        422: documented("invalid_request, or invalid_template: a template failed a check", Invalid),
    },
)
def put_templates(upload: Annotated[TemplateUpload, Body()]) -> Response[str]:
    """Check the templates on sample carts, then store them; on any failure nothing changes."""
    from relance.services.templates import upload_templates  # jinja2: loaded for this route only

    names = upload_templates(adapters(), signed_shop(router), upload.by_name())
    return json_response(200, TemplatesStored(templates=names).model_dump(mode="json"))
