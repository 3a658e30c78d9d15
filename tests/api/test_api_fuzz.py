"""The API answers as its OpenAPI schema says, under generated requests (schemathesis).

A bounded run: every operation, a handful of requests each (valid ones and deliberately broken
ones), sent with a manager's token over HTTP to the live server. Whatever is sent, the answer is
never a server error, its status is one the schema documents for that operation, and its body
matches the documented schema. Hypothesis runs derandomized, so a run is repeatable.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from darkroom.api.api import api as darkroom_api
from darkroom.studio.services import api_token_create

EXAMPLES_PER_OPERATION = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(darkroom_api.get_openapi_schema())


@pytest.fixture
def manager_token(people) -> str:
    return api_token_create(user=people["manager"])


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, live_server, manager_token):
    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Bearer {manager_token}"},
        checks=CHECKS,
    )
