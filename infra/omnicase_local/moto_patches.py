"""Performance patches for moto 5.2.5 that keep its semantics (applied by the local runtime, tests and bench)."""

from __future__ import annotations

import copy
import functools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from omnicase_local import parked_waits
from omnicase_local.loaded_on_use import DictLoadedOnUse, ListLoadedOnUse

# The patches replace moto's private internals as moto 5.2.5 has them (the version pinned in pyproject.toml);
# another moto may have moved them, and a patch would then break its semantics silently.
WRITTEN_FOR_MOTO = "5.2.5"


class UnsupportedMoto(RuntimeError):
    """The installed moto is not the one these patches were written for."""


def check_moto_version(installed: str) -> None:
    """Refuse to patch a moto these patches were not written for, saying what to do."""
    if installed != WRITTEN_FOR_MOTO:
        raise UnsupportedMoto(
            f"omnicase's moto patches (infra/omnicase_local/moto_patches.py) were written for moto {WRITTEN_FOR_MOTO}, "
            f"but moto {installed} is installed: install the pinned version (pip install 'moto[server]=="
            f"{WRITTEN_FOR_MOTO}'), or check every patch against moto {installed} and then raise WRITTEN_FOR_MOTO "
            "with the pin in pyproject.toml"
        )


def _installed_moto() -> str:
    from importlib.metadata import version

    return version("moto")


_applied = False
# DynamoDB applies a conditional write (and a transaction) atomically; moto checks then writes, so two threads
# could both pass the same condition. One lock per process makes moto's writes atomic as DynamoDB's are.
_write_lock = threading.RLock()
_ATOMIC_WRITES = ("put_item", "update_item", "delete_item")
# Reads iterate the table's dicts; a write in another thread meanwhile raises "dictionary changed size during
# iteration" (DynamoDB itself reads a consistent item), so reads take the same lock.
_LOCKED_READS = ("get_item", "query", "scan", "batch_get_item", "transact_get_items")
STOCK: dict[str, Any] = {}  # moto's own implementations, kept for comparison tests


@dataclass
class _Snapshot:
    """One item as it was before the transaction touched it."""

    table: Any
    hash_key: Any
    range_key: Any
    hash_present: bool
    item: Any


def apply_moto_patches() -> None:
    """Make moto faster, keeping its semantics (idempotent): a per-item journal instead of a whole-table deepcopy per
    transaction, one size check per new item, reused Step Functions Lambda clients, one thread per running
    execution and none per sleeping one (`parked_waits`)."""
    global _applied
    check_moto_version(_installed_moto())  # before anything is replaced, however often this is called
    share_botocore_data()
    if _applied:
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import Item

    STOCK["transact_write_items"] = DynamoDBBackend.transact_write_items
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    for name in _ATOMIC_WRITES + _LOCKED_READS:
        write = getattr(DynamoDBBackend, name)
        STOCK[name] = _moto_own(write)
        setattr(DynamoDBBackend, name, _atomic(STOCK[name]))
    _reuse_step_functions_lambda_clients()
    STOCK["item_init"] = Item.__init__
    Item.__init__ = item_init  # type: ignore[method-assign]
    _share_repeated_strings()
    _track_only_s3_objects()
    _parse_each_state_machine_once()
    _evaluate_programs_without_a_timeout_inline()
    parked_waits.install(STOCK)
    _import_the_user_pools_signing_key_once()
    _query_without_sorting_the_table()
    _schedules_match_no_events()
    _serialize_attribute_values_directly()
    _name_sqs_attributes_once()
    _dispatch_without_rescanning_classes()
    _draw_receipt_handles_at_once()
    _remember_deleted_receipt_handles_by_hash()
    _keep_recent_topic_notifications()
    _read_json_templates_as_json()
    _applied = True


def _schedules_match_no_events() -> None:
    """A schedule rule has no event pattern; moto's empty pattern matches every event, so an event put on the default
    bus (a Connect contact event from the local feed) reached the schedules' Lambda targets, which moto cannot
    invoke. EventBridge sends a scheduled rule's targets only its schedule's events."""
    from moto.events.models import Rule

    stock = Rule.send_to_targets
    if getattr(stock, "schedules_match_nothing", False):
        return

    def send_to_targets(self: Any, original_event: Any, transform_input: bool = True) -> None:
        if self.scheduled_expression and not self.event_pattern.get_pattern():
            return
        stock(self, original_event, transform_input)

    send_to_targets.schedules_match_nothing = True  # type: ignore[attr-defined]
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]


_query_scope = threading.local()


def _moto_own(function: Any) -> Any:
    """moto's own `function`, even when a patch here already wraps it (re-applying must wrap moto, not the patch)."""
    return getattr(function, "__wrapped__", function)


class _NotPlain(Exception):
    """An attribute value that is not the one-key dict moto's DynamoDB results hold: the stock serializer takes it."""


_TEXT_KINDS = frozenset(("S", "N"))
_TEXT_SETS = frozenset(("SS", "NS"))
_RAW_KINDS = frozenset(("NULL", "BOOL"))
_DYNAMODB_SERVICES = frozenset(("dynamodb", "dynamodbstreams"))  # the services whose AttributeValue this is


def _wire_text(value: Any) -> Any:
    if value is None:
        raise _NotPlain
    return str(value) if value not in ({}, []) else value  # as moto's JSON string serializer


def _wire_attribute_value(value: Any, base64: Any) -> Any:
    """One AttributeValue as moto's JSON serializer writes it, without asking each of the ten members for aliases."""
    if type(value) is not dict or len(value) != 1:
        raise _NotPlain
    ((kind, inner),) = value.items()
    if inner is None:
        raise _NotPlain
    if kind in _TEXT_KINDS:
        return {kind: _wire_text(inner)}
    if kind == "M":
        return {kind: {name: _wire_attribute_value(member, base64) for name, member in inner.items()}}
    if kind == "L":
        return {kind: [_wire_attribute_value(member, base64) for member in inner]}
    if kind in _RAW_KINDS:
        return {kind: inner}
    if kind == "B":
        return {kind: base64(inner)}
    if kind in _TEXT_SETS:
        return {kind: [_wire_text(member) for member in inner]}
    if kind == "BS":
        return {kind: [base64(member) for member in inner]}
    raise _NotPlain


def _serialize_attribute_values_directly() -> None:
    """moto's JSON serializer looks up each of AttributeValue's ten members through five alias providers for every
    value of every item it returns: a quarter of the local runtime's CPU (profiled on the load bench). An
    AttributeValue holds one member, written here the way the serializer writes it (same body, byte for byte:
    tests/integration/test_moto_serializer_patches.py); anything else still goes through the serializer."""
    from moto.core.serialize import BaseJSONSerializer

    stock = STOCK["json_serialize_structure"] = _moto_own(BaseJSONSerializer._serialize_type_structure)

    @functools.wraps(stock)
    def serialize_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if key and shape.name == "AttributeValue" and self.service_model.service_name in _DYNAMODB_SERVICES:
            try:
                serialized[key] = _wire_attribute_value(value, self._base64)
                return
            except _NotPlain:
                pass
        stock(self, serialized, value, shape, key)

    BaseJSONSerializer._serialize_type_structure = serialize_structure  # type: ignore[method-assign]


def _name_sqs_attributes_once() -> None:
    """moto's SQS rebuilds a queue's attribute dict, converting each of its ~16 names from CamelCase character by
    character, three times per message sent or received (retention checks): 15 % of the local runtime's CPU
    (profiled on the load bench). The conversion is a pure function of a handful of names: remembered."""
    from moto.sqs import models

    _remembered(models, "camelcase_to_underscores")


def _remembered(module: Any, name: str) -> None:
    """Replace the pure function `module.name` with a remembering one (once: a re-application keeps moto's own)."""
    stock = STOCK[f"{module.__name__}.{name}"] = _moto_own(getattr(module, name))
    setattr(module, name, functools.cache(stock))


def _dispatch_without_rescanning_classes() -> None:
    """For every request moto lists its response class's methods with `inspect.getmembers` (~0.3 ms) and converts
    the action's name character by character, only to look the action up. Both depend on the class and the name
    alone, and no patch here adds a response method."""
    from moto.core import responses

    _remembered(responses, "method_names_from_class")
    _remembered(responses, "camelcase_to_underscores")


def _draw_receipt_handles_at_once() -> None:
    """moto's SQS draws each receipt handle's 185 lowercase letters with a call to `choice` apiece, per message
    received; one `choices` call draws the same kind of handle from the same (seedable) generator."""
    import string

    from moto.moto_api._internal import mock_random
    from moto.sqs import models

    STOCK.setdefault("generate_receipt_handle", models.generate_receipt_handle)

    def generate_receipt_handle() -> str:
        return "".join(mock_random.choices(string.ascii_lowercase, k=185))

    models.generate_receipt_handle = generate_receipt_handle  # type: ignore[attr-defined]


class _DeletedReceiptHandles(set):  # type: ignore[type-arg]
    """A queue's deleted receipt handles, held as their hashes (a 185-letter handle is ~230 bytes; its hash ~40)."""

    def __contains__(self, handle: object) -> bool:
        return set.__contains__(self, hash(handle))

    def add(self, handle: object) -> None:
        set.add(self, hash(handle))

    def update(self, *handles: Any) -> None:
        for some in handles:
            set.update(self, map(hash, some))


def _remember_deleted_receipt_handles_by_hash() -> None:
    """moto's SQS remembers every receipt handle of every message ever deleted, so that deleting one again succeeds
    as on AWS: ~4.5 handles per delivery in the local runtime's queues, ~10 MB at 10,000 deliveries. Their 64-bit
    hashes answer the same question; two handles of one process sharing a hash is a 1 in 2**64 chance a pair."""
    from moto.sqs.models import Queue

    def by_hash(queue: Any) -> None:
        handles = _DeletedReceiptHandles()
        handles.update(queue.deleted_messages)
        queue.deleted_messages = handles

    _after_init(Queue, "queue_init", by_hash)


TOPIC_NOTIFICATIONS_KEPT = 1000


def _keep_recent_topic_notifications() -> None:
    """moto's SNS keeps every message published to a topic in `sent_notifications`, a list for tests to inspect
    (its internal API); the local mail topic's carry SES's whole receipt, ~2.5 KB a mail. The last
    TOPIC_NOTIFICATIONS_KEPT per topic stay inspectable; delivery to subscribers does not read the list."""
    from collections import deque

    from moto.sns.models import Topic

    def the_last_ones(topic: Any) -> None:
        topic.sent_notifications = deque(topic.sent_notifications, maxlen=TOPIC_NOTIFICATIONS_KEPT)

    _after_init(Topic, "topic_init", the_last_ones)


def _after_init(model: type, stock_name: str, adjust: Callable[[Any], None]) -> None:
    """`model`'s instances made by moto's own __init__ (kept in STOCK[stock_name]), then `adjust`ed."""
    stock = STOCK[stock_name] = _moto_own(model.__init__)  # type: ignore[misc]

    @functools.wraps(stock)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        stock(self, *args, **kwargs)
        adjust(self)

    model.__init__ = init  # type: ignore[misc]


def _read_json_templates_as_json() -> None:
    """moto's CloudFormation reads every template with PyYAML's pure-Python full loader, JSON ones too (~0.4 s for
    the local stack's, on every start and every test's deploy). CloudFormation reads a JSON template as JSON, so
    one that parses as JSON is taken as such; anything else still goes to moto's YAML reading."""
    from moto.cloudformation.models import Stack

    stock = STOCK["parse_template"] = _moto_own(Stack.parse_template)

    @functools.wraps(stock)
    def parse_template(template: str) -> dict[str, Any]:
        if template.lstrip().startswith("{"):
            try:
                parsed = json.loads(template)
            except ValueError:
                pass
            else:
                if isinstance(parsed, dict):
                    return parsed
        return stock(template)

    Stack.parse_template = staticmethod(parse_template)  # type: ignore[method-assign,assignment]


def lighten_moto_imports() -> None:
    """What moto loads at import and omnicase never uses is loaded at its first use instead: EC2's instance-type
    catalogues and API Gateway's OpenAPI validator. Before moto's first sessions (`share_botocore_data` calls it)."""
    load_ec2_catalogues_on_use()
    validate_openapi_on_use()


class _InvalidOpenApiDocument(Exception):
    """What moto's API Gateway catches of the validator's errors (it reads `message`), before the validator is in."""

    def __init__(self, cause: Any) -> None:
        super().__init__(cause.message)
        self.message = cause.message


def _validate_openapi(document: Any) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document)
    except OpenAPIValidationError as error:
        raise _InvalidOpenApiDocument(error) from error


def validate_openapi_on_use() -> None:
    """moto's API Gateway imports openapi_spec_validator (with jsonschema and its schemas: ~11 MB held, ~0.6 s) to
    check documents given to ImportRestApi and PutRestApi with failOnWarnings; moto imports API Gateway whatever it
    emulates (its CloudFormation does). The validator is now imported by the first check: moto's module is imported
    against stand-ins for the two names it takes, which are then removed from sys.modules. No-op if either was
    imported already."""
    import sys
    from types import ModuleType

    names = (
        "openapi_spec_validator",
        "openapi_spec_validator.validation",
        "openapi_spec_validator.validation.exceptions",
    )
    if "moto.apigateway.models" in sys.modules or any(name in sys.modules for name in names):
        return
    stand_ins = {name: ModuleType(name) for name in names}
    stand_ins["openapi_spec_validator"].validate = _validate_openapi  # type: ignore[attr-defined]
    stand_ins["openapi_spec_validator.validation.exceptions"].OpenAPIValidationError = _InvalidOpenApiDocument  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        import moto.apigateway.models  # noqa: F401
    finally:
        for name in names:
            sys.modules.pop(name, None)


_EC2_CATALOGUES = "ec2/resources/instance_type"  # instance_types.json and instance_type_offerings/<kind>/<region>


def load_ec2_catalogues_on_use() -> None:
    """moto's EC2 loads its instance-type catalogues (every region's offerings) when imported, 53 MB of Python
    objects held for good, and moto imports EC2 whatever it emulates (its Step Functions imports moto.batch for the
    Batch task, and moto.batch imports EC2). omnicase never calls EC2: the catalogues now load at their first use,
    with moto's own loader, into the same names. Idempotent; frees them if EC2 was imported before."""
    import sys
    from pathlib import Path

    from moto.utilities import utils

    stock_load = _moto_own(utils.load_resource)
    if "moto.ec2.models.instance_types" not in sys.modules:

        @functools.wraps(stock_load)
        def empty_catalogues(resource: str) -> Any:
            if resource.startswith(_EC2_CATALOGUES):
                return [] if "offerings" in resource else {}
            return stock_load(resource)

        utils.load_resource = empty_catalogues  # the module binds the name as it imports, so only for the import
        try:
            import moto.ec2.models.instance_types  # noqa: F401
        finally:
            utils.load_resource = stock_load
    catalogue = sys.modules["moto.ec2.models.instance_types"]
    if isinstance(catalogue.INSTANCE_TYPES, DictLoadedOnUse):
        return
    offerings_root = Path(catalogue.__file__).parent.parent / "resources" / "instance_type_offerings"

    def offerings(kind: str) -> dict[str, Any]:  # as moto's module body builds them
        by_region = {}
        for data_file in sorted(p.name for p in (offerings_root / kind).iterdir()):
            listed = stock_load(f"ec2/resources/instance_type_offerings/{kind}/{data_file}")
            for offering in listed:
                offering["LocationType"] = kind
            by_region[data_file.split(".")[0]] = listed
        return by_region

    types = DictLoadedOnUse(lambda: stock_load("ec2/resources/instance_types.json"))
    families = ListLoadedOnUse(lambda: list({name.split(".")[0] for name in types}))
    catalogue.INSTANCE_TYPES, catalogue.INSTANCE_FAMILIES = types, families
    described = ListLoadedOnUse(lambda: list(map(catalogue.InstanceType, types)))  # built from them at import
    catalogue.InstanceTypeBackend.instance_types = described
    for kind in list(catalogue.INSTANCE_TYPE_OFFERINGS):  # one dict object, which other modules imported by name
        catalogue.INSTANCE_TYPE_OFFERINGS[kind] = DictLoadedOnUse(functools.partial(offerings, kind))
    batch = sys.modules.get("moto.batch.models")  # imports the two names; set again if it was imported first
    if batch is not None:
        batch.EC2_INSTANCE_TYPES, batch.EC2_INSTANCE_FAMILIES = types, families


class _SearchPaths(list):  # type: ignore[type-arg]
    """A shared loader's search paths: every boto3 Session appends boto3's data folder; once is enough."""

    def append(self, path: Any) -> None:
        if path not in self:
            super().append(path)


def _without_documentation(load_service_model: Any) -> Any:
    """A loader's `load_service_model` whose API models hold no documentation (about a third of each: ~8 MB for the
    local runtime's services). Nothing at run time reads it; botocore and moto read the shapes. Stripped in place
    once, on the model the loader caches, so every later call returns it already stripped."""
    stripped: set[int] = set()

    @functools.wraps(load_service_model)
    def load(service_name: str, type_name: str, api_version: str | None = None) -> Any:
        model = load_service_model(service_name, type_name, api_version)
        if type_name == "service-2" and id(model) not in stripped:
            _strip_documentation(model)
            stripped.add(id(model))
        return model

    return load


def _strip_documentation(model: dict[str, Any]) -> None:
    model.get("metadata", {}).pop("documentation", None)
    model.pop("documentation", None)
    for operation in model.get("operations", {}).values():
        operation.pop("documentation", None)
        operation.pop("documentationUrl", None)
    for shape in model.get("shapes", {}).values():
        shape.pop("documentation", None)
        for member in shape.get("members", {}).values():
            member.pop("documentation", None)
        for part in ("member", "key", "value"):
            if isinstance(shape.get(part), dict):
                shape[part].pop("documentation", None)


def share_botocore_data() -> None:
    """Every botocore session builds its own data loader, so each parsed endpoints.json and service model again:
    PynamoDB keeps a session per thread, moto makes sessions for its region lists, boto3 one per Session. One
    process-wide loader for the local runtime, its tests and benches (2,000 deliveries back to back: 97 MB less at
    the peak, ready 0.7 s sooner). The loader only reads the files and caches what it parsed; clients treat the models
    as read-only. Lambda runs one session per process anyway, so this is not a change for the deployed stack."""
    import botocore.loaders
    import botocore.session

    if getattr(botocore.session.create_loader, "shared", False):
        return
    lighten_moto_imports()  # first: importing moto's EC2 parses EC2's model, which a shared loader would keep
    stock = botocore.session.create_loader
    STOCK["create_loader"] = stock

    @functools.cache
    def shared_loader(search_path_string: str | None = None) -> Any:
        loader = stock(search_path_string)
        loader._search_paths = _SearchPaths(loader.search_paths)
        loader.load_service_model = _without_documentation(loader.load_service_model)
        return loader

    shared_loader.shared = True  # type: ignore[attr-defined]
    botocore.session.create_loader = shared_loader  # type: ignore[assignment]


def _unsorted_items(table: Any) -> list[Any]:
    if not table.range_key_attr:
        return list(table.items.values())
    return [item for hash_set in table.items.values() for item in hash_set.values()]


def _query_without_sorting_the_table() -> None:
    """moto's Table.query starts from all_items(), which sorts the whole table on every call, then sorts its matches
    by the full key anyway: within a query the items are taken unsorted. Same results in the same order (the full key
    is unique); at 11,600 items it saved ~0.2 s of CPU per query, which the console's case view made three of."""
    from moto.dynamodb.models.table import Table

    stock_query, stock_all_items = _moto_own(Table.query), _moto_own(Table.all_items)
    STOCK["table_query"], STOCK["all_items"] = stock_query, stock_all_items

    @functools.wraps(stock_all_items)
    def all_items(self: Any) -> list[Any]:
        return _unsorted_items(self) if getattr(_query_scope, "active", False) else stock_all_items(self)

    @functools.wraps(stock_query)
    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        _query_scope.active = True
        try:
            return stock_query(self, *args, **kwargs)
        finally:
            _query_scope.active = False

    Table.all_items = all_items  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]


def _import_the_user_pools_signing_key_once() -> None:
    """moto's Cognito imports the same RSA private key (a file it ships) for every user pool it creates: ~90 ms of
    key validation per pool, so per stack deployed (every integration test deploys one). One import per process; the
    key is only ever used to sign."""
    from types import SimpleNamespace

    from joserfc import jwk
    from moto.cognitoidp import models

    imported: dict[str, Any] = {}

    def import_key(value: Any) -> Any:
        text = json.dumps(value, sort_keys=True)
        if text not in imported:
            imported[text] = jwk.RSAKey.import_key(value)
        return imported[text]

    models.jwk = SimpleNamespace(RSAKey=SimpleNamespace(import_key=import_key))  # type: ignore[attr-defined]


def _parse_each_state_machine_once() -> None:
    """moto's Step Functions parses the definition with ANTLR for every execution it starts (~13 ms of CPU, and a
    parsed program held by each sleeping execution: one per open case). Evaluation keeps its state in the
    execution's Environment, never in the program, so executions of one definition share one parse."""
    from functools import lru_cache

    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    parse = AmazonStateLanguageParser.parse
    STOCK["asl_parse"] = parse
    AmazonStateLanguageParser.parse = staticmethod(lru_cache(maxsize=16)(parse))  # type: ignore[method-assign]


def _evaluate_programs_without_a_timeout_inline() -> None:
    """moto runs each execution on a thread that starts a second thread for the program, only so that it can stop
    waiting at the machine's TimeoutSeconds. Without one, the first thread just joins the second: one idle thread
    (~20 KB resident) per sleeping execution, that is per open case. Such programs now run on the first thread."""
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
    from moto.stepfunctions.parser.asl.component.program.program import Program

    with_a_thread = Program.eval
    STOCK["program_eval"] = with_a_thread

    def evaluate(self: Any, env: Any) -> None:
        if self.timeout_seconds is not None:
            return with_a_thread(self, env)
        env.next_state_name = self.start_at.start_at_name
        parked_waits.mark_parkable(self, env)
        EvalComponent.eval(self, env)
        return None

    Program.eval = evaluate  # type: ignore[method-assign]


def _track_only_s3_objects() -> None:
    """moto's BaseModel keeps every instance it ever made in `instances_tracked`, for its state dashboard: every
    version of every DynamoDB item, every stream record, every SQS message ever sent (deleted or not), every
    execution's objects; the local runtime's main memory growth after the items themselves. Only S3 reads its lists
    (a reset disposes of the objects' spooled files through them), so only S3's models are still tracked."""
    from moto.core.common_models import BaseModel

    stock = STOCK["base_model_new"] = _moto_own(BaseModel.__new__)

    @functools.wraps(stock)
    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        if cls.__module__.startswith("moto.s3."):
            return stock(cls, *args, **kwargs)
        return super(BaseModel, cls).__new__(cls)  # as moto's own, minus the list

    BaseModel.__new__ = staticmethod(new)  # type: ignore[method-assign,assignment]


def item_init(self: Any, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
    """moto's Item.__init__ re-sizes the whole item for every attribute it sets (O(n²) per write); the same 405,000
    byte check made once on the finished item gives the same answer, as sizes only add up."""
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict, bytesize

    # moto makes the keys' objects apart from the attributes': one object per value instead. The sort key's object
    # is what the table files the item under, so its attribute is that object (and stays out of the shared table,
    # unique as it is); the partition key is its attribute's, shared by the partition's items. Scalars both.
    self.hash_key, self.range_key = hash_key, range_key
    values = {}
    for key, value in attrs.items():
        if _holds(value, range_key):
            values[_shared(key)] = range_key
        elif _holds(value, hash_key):
            values[_shared(key)] = self.hash_key = _attribute(value)
        else:
            values[_shared(key)] = _attribute(value)
    if sum(bytesize(key) + value.size() for key, value in values.items()) > 405000:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, values)  # later single-attribute sets still go through moto's own check


def _holds(raw: Any, key: Any) -> bool:
    """Whether the request's attribute value `raw` is exactly the scalar `key` (a DynamoType, or None)."""
    return key is not None and type(raw) is dict and len(raw) == 1 and raw.get(key.type, _ABSENT) == key.value


_ABSENT = object()


SHARED_VALUE_CHARS = 64  # string values up to this long are shared: tenant, status, queue, channel, ids, times


def dynamo_type_init(self: Any, type_as_dict: Any) -> None:
    """moto's DynamoType.__init__, with its type, map keys and short strings shared: every item held one copy of
    each attribute name and of values such as the tenant or a status, parsed afresh from each request's JSON (~1 KB
    of a ~5 KB item). Equal strings compare equal either way."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    if type(type_as_dict) is DynamoType:
        self.type, self.value = type_as_dict.type, type_as_dict.value
        return
    kind, value = next(iter(type_as_dict.items()))  # moto takes the first key and the first value
    self.type = _shared(kind)
    if kind == "L":
        value = [_attribute(v) for v in value]
    elif kind == "M":
        value = {_shared(k): _attribute(v) for k, v in value.items()}
    elif kind == "S" and len(value) <= SHARED_VALUE_CHARS:
        value = _shared(value)
    self.value = value


# The strings shared so far. Not sys.intern: Python 3.12 makes an interned string immortal, so every id and time
# ever written stayed in memory after its item changed (~4 MB of table and strings per 1,000 deliveries). Started
# afresh past SHARED_STRINGS_KEPT: strings already shared stay shared in their items, new ones share from then on.
_shared_strings: dict[str, str] = {}
SHARED_STRINGS_KEPT = 1 << 14


def _shared(text: Any) -> Any:
    """The one copy of `text`; a str subclass (a caller's own type) stays as it is: only exact strs are shared."""
    if type(text) is not str:
        return text
    shared = _shared_strings.setdefault(text, text)
    if len(_shared_strings) > SHARED_STRINGS_KEPT:
        _shared_strings.clear()  # a race with another thread's setdefault only costs one string a second copy
    return shared


# Equal short scalars share one DynamoType (a tenant, a channel, a status, a case's partition key on each of its
# items): ~90 bytes an attribute. moto never changes a scalar's DynamoType in place (an update puts a new one; only
# sets, lists and maps are changed in place, and those are never shared). Bounded like _shared_strings.
_SHAREABLE = {"S": str, "N": str, "BOOL": bool, "NULL": bool}  # the scalar kinds and their value's exact type
_shared_attributes: dict[str, dict[Any, Any]] = {kind: {} for kind in _SHAREABLE}  # by kind, then value


def _attribute(raw: Any) -> Any:
    """DynamoType(raw): for a short scalar, the one instance of that value."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    if type(raw) is dict and len(raw) == 1:
        ((kind, value),) = raw.items()
        if type(value) is _SHAREABLE.get(kind) and (kind != "S" or len(value) <= SHARED_VALUE_CHARS):
            of_kind = _shared_attributes[kind]
            shared = of_kind.get(value)
            if shared is None:
                shared = of_kind.setdefault(_shared(value), DynamoType(raw))
                if len(of_kind) > SHARED_STRINGS_KEPT:
                    of_kind.clear()
            return shared
    return DynamoType(raw)


def _share_repeated_strings() -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType

    STOCK["dynamo_type_init"] = DynamoType.__init__
    DynamoType.__init__ = dynamo_type_init  # type: ignore[method-assign]


def _reuse_step_functions_lambda_clients() -> None:
    """moto's Step Functions builds a new boto3 client for every Lambda task (~10 ms of CPU each); keep one per
    region and endpoint. boto3 clients are thread-safe, and moto's builder takes no per-execution settings."""
    from functools import lru_cache

    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils

    build = lambda_eval_utils.boto_client_for
    STOCK["boto_client_for"] = build

    @lru_cache(maxsize=32)
    def cached(region: str, service: str, intercepting: bool, port: str) -> Any:
        return build(region=region, service=service)

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        from moto.core.models import botocore_stubber
        from moto.settings import moto_server_port

        return cached(region, service, botocore_stubber.enabled, moto_server_port())

    lambda_eval_utils.boto_client_for = boto_client_for  # type: ignore[assignment]


def _atomic(write: Any) -> Any:
    @functools.wraps(write)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _write_lock:
            return write(*args, **kwargs)

    return locked


def _snapshot(backend: Any, table_name: str, key: dict[str, Any], op_type: str) -> _Snapshot | None:
    if table_name not in backend.tables:
        return None
    table = backend.tables[table_name]
    hash_key, range_key = backend.get_keys_value(table, key)
    # Read the raw dict: table.get_item on a range table would create an empty partition as a side effect.
    if range_key is not None:
        item = table.items[hash_key].get(range_key) if hash_key in table.items else None
    else:
        item = table.items.get(hash_key)
    # Only an Update changes moto's Item in place; a Put puts a new Item and a Delete drops it, leaving the old one
    # as it was: the old one itself is the snapshot (a deep copy was ~3 % of an intake transaction, profiled).
    kept = copy.deepcopy(item) if op_type == "Update" else item
    return _Snapshot(table, hash_key, range_key, hash_key in table.items, kept)


def _rollback(journal: list[_Snapshot], streams: dict[str, tuple[Any, list[Any], int]]) -> None:
    for snap in reversed(journal):
        items = snap.table.items
        if snap.range_key is not None:
            partition = items[snap.hash_key]
            if snap.item is None:
                partition.pop(snap.range_key, None)
            else:
                partition[snap.range_key] = snap.item
            if not snap.hash_present and not partition:
                items.pop(snap.hash_key, None)
        elif snap.item is None:
            items.pop(snap.hash_key, None)
        else:
            items[snap.hash_key] = snap.item
    # Stream records of rolled-back writes vanish too, as with moto's restored table copy.
    for shard, records, length in streams.values():
        del records[length:]
        shard.items = records


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's transact_write_items with an item journal instead of deep-copied tables; same checks and errors;
    atomic, as DynamoDB's is."""
    with _write_lock:
        _transact_write_items(self, transact_items)


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    journal: list[_Snapshot] = []
    streams: dict[str, tuple[Any, list[Any], int]] = {}
    for item in transact_items:
        _, op = next(iter(item.items()))
        table_name = op.get("TableName")
        if table_name and table_name in self.tables and table_name not in streams:
            shard = self.tables[table_name].stream_shard
            if shard is not None:
                streams[table_name] = (shard, shard.items, len(shard.items))

    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")
            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            check_unicity(table_name, key)
            snapshot = _snapshot(self, table_name, key, op_type) if op_type != "ConditionCheck" else None
            if snapshot is not None:
                journal.append(snapshot)

            if condition_expression is not None:
                current = self.get_item(table_name, key)
                condition_op = get_filter_expression(
                    condition_expression, expression_attribute_names, expression_attribute_values
                )
                if not condition_op.expr(current):
                    if return_values_on_condition_check_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            # The condition was checked just above, under the lock, and no other operation of the transaction may
            # touch this item: moto's write would only parse and check it a second time.
            if op_type == "Put":
                self.put_item(table_name, op["Item"], expression_attribute_names=expression_attribute_names)
            elif op_type == "Delete":
                self.delete_item(table_name, key, expression_attribute_names=expression_attribute_names)
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            _rollback(journal, streams)
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        _rollback(journal, streams)
        raise TransactionCanceledException(errors)
