"""Signed routes through which a shop reads and changes its settings, and erases a customer.

``GET|PUT /v1/policy``, ``PUT /v1/texts``, ``PUT /v1/templates``: a change is validated
whole; an invalid one gets 422 naming each field and the stored settings stay as they were.
``POST /v1/erase``: a customer's erasure request, passed on by the shop.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ConfigDict, EmailStr, ValidationError

from relance.core.batch import FieldError, field_errors
from relance.http.responses import json_body, json_response, signed_shop
from relance.services.erase import erase_customer
from relance.services.settings import SettingsRejected, set_policy, set_texts
from relance.services.templates import upload_templates
from relance.wiring import adapters

router = APIGatewayHttpRouter()


@router.get("/v1/policy")
def get_policy() -> Response[str]:
    shop, _ = signed_shop(router)
    return json_response(200, shop.policy.model_dump(mode="json"))


@router.put("/v1/policy")
def put_policy() -> Response[str]:
    shop, raw = signed_shop(router)
    policy = set_policy(adapters(), shop, json_body(raw))
    return json_response(200, policy.model_dump(mode="json"))


@router.put("/v1/texts")
def put_texts() -> Response[str]:
    shop, raw = signed_shop(router)
    texts = set_texts(adapters(), shop, json_body(raw))
    return json_response(200, texts.model_dump(mode="json"))


class ErasureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr


@router.post("/v1/erase")
def erase() -> Response[str]:
    """GDPR erasure of one customer of the shop: their carts and contact record (a suspended
    shop may still pass on its customers' erasure requests)."""
    shop, raw = signed_shop(router, allow_suspended=True)
    try:
        request = ErasureRequest.model_validate(json_body(raw))
    except ValidationError as error:
        raise SettingsRejected(field_errors("erase", error)) from None
    erased = erase_customer(adapters(), shop, str(request.email))
    return json_response(200, {"carts_erased": erased.carts, "suppression_kept": erased.kept_suppression})


@router.put("/v1/templates")
def put_templates() -> Response[str]:
    shop, raw = signed_shop(router)
    body = json_body(raw)
    if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
        raise SettingsRejected((FieldError("body", "an object of template name -> template source"),))
    return json_response(200, {"templates": upload_templates(adapters(), shop, body)})
