"""schemathesis hooks for the Rocket.Chat server stub: the failures of cases no generated
server can take, each for a reason outside the spec, are dropped, so that every other case
is held to "no server error but 501, and no valid request refused". (Filtering the cases
before they are sent instead trips hypothesis into describing its strategies, which fails
on some of them.)

- An integer beyond 64 bits: the generated types read an integer without `format` as a
  64-bit one, so a larger one is refused, naming the parameter or field.
- A multipart part whose name holds a control character: the name is a quoted string in a
  `Content-Disposition` header (RFC 7578), where control characters cannot stand.
- A parameter whose schema gives a `format` and no `type` (Rocket.Chat's
  `{format: date-time}`): the generator reads it as the format's type, as the authors mean,
  where JSON Schema lets any value that is not a string through (`ls=true`).
"""

import schemathesis

LOW, HIGH = -(2**63), 2**63


def integers_fit(value):
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return LOW <= value < HIGH
    if isinstance(value, dict):
        return all(integers_fit(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(integers_fit(v) for v in value)
    return True


def quotable(name):
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in str(name))


def takeable(case):
    for part in (case.query, case.path_parameters, case.headers, case.cookies):
        if part and not integers_fit(part):
            return False
    body = case.body
    if not integers_fit(body):
        return False
    multipart = (case.media_type or "").startswith("multipart/")
    if multipart and isinstance(body, dict) and not all(quotable(k) for k in body):
        return False
    return True


def untyped_parameter(case, response):
    """Whether the refusal names a parameter whose schema has a format and no type."""
    try:
        name = response.json().get("parameter")
    except Exception:
        return False
    for parameter in case.operation.iter_parameters():
        schema = parameter.definition.get("schema") or {}
        if parameter.name == name and "format" in schema and "type" not in schema:
            return True
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response):
    return takeable(case) and not untyped_parameter(case, response)
