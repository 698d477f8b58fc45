"""The API schema's shared answers: the refusals every endpoint may give, documented once.

drf-spectacular documents what a view returns when all goes well; every endpoint may also
refuse. This post-processing hook adds to every operation the refusals the API really gives
(see ``core.api.exception_handler`` and DRF's defaults) with the shape of their body, and says
that an empty query parameter is accepted (it means "not given": the pages' filter forms send
every field), so that clients, and the schemathesis run in the tests, know them.
"""

from django.utils.translation import gettext_lazy as _

ERRORS_SCHEMA = "ErrorMessages"

REFUSALS = {
    "400": _("Refused: the request is not valid. A list of messages per field, or `detail`. Nothing changed."),
    "401": _("Not signed in: no session and no valid token."),
    "403": _("Signed in, but the user's role may not do this."),
    "404": _("No such record, or one the user may not see; or a page past the last."),
}

UNREADABLE_BODY = _("Refused: the body is not in a format the endpoint reads (JSON, a form or multipart).")


def add_refusals(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERRORS_SCHEMA] = {
        "type": "object",
        "description": str(_("Messages: `detail`, or one list of messages per field.")),
        "additionalProperties": True,
    }
    body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERRORS_SCHEMA}"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    # The list pages' forms send every field, empty ones too: empty means "not given".
                    parameter["allowEmptyValue"] = True
            responses = operation["responses"]
            refusals = dict(REFUSALS)
            if "requestBody" in operation:
                refusals["415"] = UNREADABLE_BODY
            for code, description in refusals.items():
                answer = responses.setdefault(code, {"description": str(description)})
                answer.setdefault("content", body)
    return result
