"""The request and response bodies of the API, as pydantic schemas (they make the OpenAPI
schema). Texts of a model come in the one language asked for."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from imscan.api.errors import Code
from imscan.engine.schema import ID_PATTERN, LANGUAGE_PATTERN

ModelId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
StatementId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN, max_length=8)]
# A model's version number as the files have them ("1.0"): printable, no slash. Control
# characters never reach the database (PostgreSQL refuses a NUL in text).
VersionNumber = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f/]+$", max_length=32)]
# An answer: a number on the statement's scale, or null for "don't know". Strict: "4" or
# true is a mistake to report, not to convert.
AnswerValue = Annotated[float, Field(strict=True, allow_inf_nan=False)] | None
MAX_ANSWERS_PER_REQUEST = 1000


class FieldError(Schema):
    loc: list[str | int] = Field(
        description="Where: the source (body, query, path), then the field."
    )
    message: str


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, for people (in the Accept-Language).")
    code: Code = Field(description="What went wrong, for programs: stable within /api/v1/.")
    errors: list[FieldError] | None = Field(
        None, description="Validation errors only: every problem found."
    )


# ---- models ----


class ModelRef(Schema):
    id: str
    version: str


class ModelVersionOut(Schema):
    model_id: str
    version: str
    title: dict[str, str] = Field(description="The title in each of the model's languages.")
    languages: list[str]
    method: str = Field(description="The scoring method: mean-bands, staircase or cumulative.")
    statements: int
    content_hash: str
    published_at: datetime.datetime
    latest: bool = Field(description="The newest version of this model, offered for new scans.")


class LinkOut(Schema):
    title: str
    url: str


class AdviceOut(Schema):
    level: int = Field(description="The part's level this advice is for.")
    text: str
    links: list[LinkOut]


class StatementOut(Schema):
    id: str
    scale: str = Field(description="The id of its scale in `scales`.")
    text: str
    info: str
    weight: float
    level: int | None = Field(description="Staircase and cumulative models: its level.")


class NodeOut(Schema):
    id: str
    title: str
    description: str | None
    weight: float
    advice: list[AdviceOut]
    children: list[NodeOut] | None = Field(description="Groups of parts: the nodes below.")
    statements: list[StatementOut] | None = Field(description="A part: its statements.")


class ScaleOptionOut(Schema):
    value: float | None
    not_applicable: bool = Field(description='"Don\'t know": answered with null.')
    label: str


class ScaleOut(Schema):
    id: str
    options: list[ScaleOptionOut]


class LeadTimeOut(Schema):
    min: int
    max: int


class LevelOut(Schema):
    level: int
    name: str
    description: str
    lead_time_months: LeadTimeOut | None


class BandOut(Schema):
    level: int
    from_score: float = Field(description="The lowest score of this level (mean-bands).")


class ScoringOut(Schema):
    method: str
    bands: list[BandOut] | None
    pass_from: float | None


class ModelDefinitionOut(Schema):
    model_id: str
    version: str
    language: str = Field(description="The language of every text below.")
    languages: list[str]
    title: str
    description: str | None
    content_hash: str
    published_at: datetime.datetime
    scales: list[ScaleOut]
    levels: list[LevelOut]
    scoring: ScoringOut
    dimensions: list[NodeOut]


# ---- results: the JSON of `imscan score` ----


class SpreadOut(Schema):
    n: int
    sd: float | None
    min: float | None
    max: float | None


class NodeScoreOut(Schema):
    score: float | None
    level: int | None
    answered: int
    total: int
    spread: SpreadOut | None = Field(None, description="Team results only.")


class OverallOut(Schema):
    score: float | None
    level: int | None


class PointLinkOut(Schema):
    title: dict[str, str]
    url: str


class DevelopmentPointOut(Schema):
    node: str
    score: float
    level: int
    target_level: int
    priority: float
    advice: dict[str, str] | None
    links: list[PointLinkOut]


class ScoreResultOut(Schema):
    model: ModelRef
    method: str
    respondents: int
    overall: OverallOut
    nodes: dict[str, NodeScoreOut]
    development_points: list[DevelopmentPointOut]


# ---- a respondent's scan ----


class SelfScanIn(Schema):
    model_id: ModelId
    version: VersionNumber | None = Field(None, description="Default: the model's latest version.")
    language: LanguageCode | None = Field(
        None, description="Default: the Accept-Language if the model has it, else its first."
    )


class PageOut(Schema):
    number: int
    node_id: str
    statement_ids: list[str]


class RespondentScanOut(Schema):
    id: uuid.UUID
    kind: Literal["self", "guided"]
    title: str
    language: str
    model: ModelRef
    state: Literal["not-yet-open", "open", "closed"]
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None


class RespondentOut(Schema):
    scan: RespondentScanOut
    finished: bool
    finished_at: datetime.datetime | None
    answered: int = Field(description='Statements answered ("don\'t know" included).')
    total: int
    pages: list[PageOut]


class SelfScanCreatedOut(Schema):
    token: str = Field(
        description="The private link token: shown once, never again. Send it as "
        "Authorization: Bearer <token> to the /respondent operations."
    )
    web_url: str = Field(description="The same scan in the browser.")
    respondent: RespondentOut


class AnswersIn(Schema):
    answers: dict[StatementId, AnswerValue] = Field(
        max_length=MAX_ANSWERS_PER_REQUEST,
        description="Statement id: value (null: don't know). Other answers stay as they are.",
    )


class AnswerIn(Schema):
    value: AnswerValue = Field(description="A value of the statement's scale; null: don't know.")


class AnswerOut(Schema):
    statement_id: str
    answered: bool
    value: float | None


class AnswersOut(Schema):
    answers: dict[str, float | None]
    answered: int
    total: int


# ---- organisations ----


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    size: str
    country: str
    roles: list[Literal["owner", "member", "consultant"]]


class ScanOut(Schema):
    id: uuid.UUID
    kind: Literal["self", "guided"]
    title: str
    language: str
    model: ModelRef
    status: Literal["open", "not-yet-open", "closed", "finished"]
    created_at: datetime.datetime
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    anonymity_threshold: int
    respondents: int
    finished: int


class GroupProgressOut(Schema):
    name: str
    joined: int
    invited: int
    via_link: int
    started: int
    finished: int
    has_link: bool
    link_cap: int | None
    link_full: bool


class ProgressOut(Schema):
    scan: uuid.UUID
    joined: int
    started: int
    finished: int
    percent_finished: int
    groups: list[GroupProgressOut]


class RespondentProgressOut(Schema):
    email: str
    group: str | None
    status: Literal["invited", "started", "finished"]
    invited_at: datetime.datetime | None
    reminded_at: datetime.datetime | None


class TeamGroupOut(Schema):
    name: str | None = Field(description="null: the respondents without a group.")
    finished: int
    total: int
    status: Literal["shown", "too-small", "protecting"]


class GroupResultOut(Schema):
    name: str | None
    result: ScoreResultOut


class CountOut(Schema):
    value: float
    count: int


class AgendaItemOut(Schema):
    statement_id: str
    answered: int
    dont_know: int
    unanswered: int
    mean: float | None
    sd: float | None
    counts: list[CountOut]


class TeamResultOut(Schema):
    scan: uuid.UUID
    kind: Literal["self", "guided"]
    final: bool = Field(description="Nobody can answer any more: closed, or a self-scan.")
    closed_on: datetime.datetime | None
    threshold: int = Field(description="The fewest finished respondents a figure needs.")
    finished: int
    total: int
    figures_shown: bool = Field(description="false while open or below the threshold.")
    groups: list[TeamGroupOut]
    result: ScoreResultOut | None
    group_results: list[GroupResultOut] = Field(
        description="Per shown group, when two or more are shown."
    )
    agenda: list[AgendaItemOut] = Field(description="The discussion agenda.")


class ClaimIn(Schema):
    token: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The self-scan's private link token."
    )


class TokenOut(Schema):
    name: str
    hint: str
    read_only: bool
    created_at: datetime.datetime
    expires_at: datetime.datetime | None


class MeOut(Schema):
    email: str
    token: TokenOut


# The errors an operation can answer with (a wrong method, 405, is the URL's, not its).
ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 413, 422, 429})


def responses(schema: object, status: int = 200) -> dict[Any, object]:
    """An operation's responses: its own, and ErrorOut for every error."""
    return {status: schema, ERROR_STATUSES: ErrorOut}
