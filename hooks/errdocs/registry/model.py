"""The model's names, re-exported from the modules that define them: import them from here.

``registry.yaml`` is read into one frozen, validated ``Registry``. Each idea has its own
module, and each imports only the ones above it in this list:

- ``semver``: contract versions, their form and their order;
- ``field_types``: the strict base ``Model`` and the validated value types (text, URLs, JSON);
- ``site``: ``site:``, the documented API and where its docs live;
- ``codes``: one code and its parts (statuses, retry, example, SDK exceptions, lifecycle);
- ``envelope_roles``: the roles of envelope fields, one table entry each (``ROLES``);
- ``envelope``: the error envelope's fields and the role each plays;
- ``guidance``: the response headers and retry guidance every code shares;
- ``changelog``: the contract's published versions;
- ``document``: the ``Registry`` as a whole, and the addresses it derives;
- ``cross_references``: rules across entries, checked once every entry's shape is valid.
"""

from __future__ import annotations

from .changelog import Change, ChangeKind, ChangelogEntry
from .codes import (
    FACT_LABELS,
    RETRYABLE_POLICIES,
    RETURNED,
    SUBCODE_PATTERN,
    TYPE_NAME_PATTERN,
    Attribute,
    Code,
    Example,
    Fact,
    Lifecycle,
    LifecycleState,
    Overview,
    Related,
    Retry,
    RetryPolicy,
    SdkException,
    Section,
    StatusLine,
    StatusLines,
    Subcode,
)
from .cross_references import CODE_PATTERN, MAX_CODE_LENGTH, RESERVED_NAMES, Loc, cross_reference_problems, item_shape
from .document import GROUP_PAGE_PREFIX, Registry, once_per_registry
from .envelope import EnvelopeField, ItemField, JsonType, envelope_paths, envelope_roles, field_at
from .envelope_roles import (
    JSON_MEDIA_TYPE,
    LISTED_ROLES,
    MEDIA_TYPES,
    PER_EXAMPLE_ROLES,
    PROBLEM_MEDIA_TYPE,
    REQUIRED_ROLES,
    ROLE_NAMES,
    ROLES,
    EnvelopeRole,
    RoleSpec,
    RoleTable,
)
from .field_types import (
    KINDS,
    Date,
    HeaderName,
    HttpsUrl,
    Identifier,
    JsonValue,
    Markdown,
    Model,
    Text,
    Version,
    json_data,
    kind,
    one_of,
)
from .guidance import RETRY_AFTER, Backoff, Header, RetryGuidance, retry_after_delay
from .semver import VERSION_PATTERN, major_version, semver
from .site import AGENT_BUDGET, ERRORS_DIR, FOLDER_PATTERN, LANGUAGE_ERROR_STYLES, Budgets, DocUrlForm, ErrorStyle, Sdk, Site
