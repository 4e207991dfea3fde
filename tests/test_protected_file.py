"""site_src/js/protect/protected-file.js: passphrase-protected files (JWE) checked both ways against independent
JOSE libraries (Python's joserfc and jwcrypto, npm's jose); every hostile file refused with its message before any
key derivation."""

from __future__ import annotations

import base64
import functools
import json
import os
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jwe
from joserfc.jwe import FlattenedJSONEncryption, JWERegistry
from joserfc.jwk import OctKey
from jwcrypto import jwa as jwcrypto_jwa
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk

from tests.js.node_driver import NodeDriver, shared_driver
from tests.js.plan_fixtures import action, make_plan

MODULE = "site_src/js/protect/protected-file.js"
PLAN_FILE = "site_src/js/files/plan-file.js"
JOSE = "tests/js/jose-files.mjs"  # npm's jose, driven through Node
ALG, ENC = "PBES2-HS512+A256KW", "A256GCM"
PASSPHRASE = "caffè all'alba, 7 volte"
QUICK = {"p2c": 1000}  # the lowest count a file may carry: keeps the many round trips quick


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key(passphrase: str) -> OctKey:
    return OctKey.import_key(unicodedata.normalize("NFC", passphrase).encode())


def registry(ciphertext: int = 16 * 1024 * 1024) -> JWERegistry:
    """joserfc refuses a ciphertext over 64 KiB by default; a backup of many plans is a few MB."""
    reg = JWERegistry(algorithms=[ALG, ENC])
    reg.max_ciphertext_length = ciphertext
    return reg


def joserfc_open(text: str, passphrase: str) -> bytes:
    return jwe.decrypt_json(json.loads(text), key(passphrase), registry=registry()).plaintext or b""


def joserfc_protect(plaintext: str, passphrase: str, protected: dict[str, Any],
                    header: dict[str, Any] | None = None) -> str:
    obj = FlattenedJSONEncryption(protected, plaintext.encode())
    obj.add_recipient(header or {})  # the file's `header` member; joserfc adds p2s there when it is not given
    return json.dumps(jwe.encrypt_json(obj, key(passphrase), registry=registry()))


def open_in_app(node: NodeDriver, text: str, passphrase: str = PASSPHRASE) -> dict[str, Any]:
    result: dict[str, Any] = node("openProtected", text=text, passphrase=passphrase)
    return result


def plan_text(node: NodeDriver, n: int = 1) -> str:
    plan = make_plan([action(n, f"Action {n}: caffè, 日本 😀", "2025-03-03", "07:30")], revision=n)
    text: str = node.call(PLAN_FILE, "planToFile", plan)
    return text


# --- the app's files, read by joserfc -------------------------------------------------------------------------------


def test_app_file_has_the_contract_shape_and_joserfc_opens_it(node: NodeDriver) -> None:
    text = plan_text(node)
    protected = node.call(MODULE, "protect", text, PASSPHRASE)
    doc = json.loads(protected)
    assert list(doc) == ["protected", "encrypted_key", "iv", "ciphertext", "tag"]
    header = json.loads(unb64(doc["protected"]))
    assert set(header) == {"alg", "enc", "p2s", "p2c", "cty"} and "zip" not in header
    assert (header["alg"], header["enc"], header["p2c"], header["cty"]) == (ALG, ENC, 210000, "application/json")
    assert len(unb64(header["p2s"])) == 16 and len(unb64(doc["iv"])) == 12 and len(unb64(doc["tag"])) == 16
    assert "caffè" not in protected and "Action" not in protected
    assert joserfc_open(protected, PASSPHRASE).decode() == text


def test_two_protections_of_one_file_share_no_salt_iv_or_key(node: NodeDriver) -> None:
    text = plan_text(node)
    a, b = (json.loads(node.call(MODULE, "protect", text, PASSPHRASE, QUICK)) for _ in range(2))
    assert all(a[k] != b[k] for k in ("protected", "encrypted_key", "iv", "ciphertext", "tag"))


def test_a_large_backup_opens_in_joserfc_and_in_the_app(node: NodeDriver) -> None:
    plans = [make_plan([action(n, f"{n} caffè 😀 " * 700, "2025-03-03", None)], revision=1) | {"id": f"p-{n:05d}"}
             for n in range(300)]
    backup = node.call(PLAN_FILE, "backupFile", plans, "2025-06-01T08:00:00Z")
    # Over joserfc's default ciphertext limit (the registry above raises it), and several of the slices the
    # module codes base64url in.
    assert len(backup.encode()) > 3 * 786432
    protected = node.call(MODULE, "protect", backup, PASSPHRASE, QUICK)
    assert joserfc_open(protected, PASSPHRASE).decode() == backup
    assert open_in_app(node, protected)["text"] == backup


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 31, 32, 33, 786431, 786432, 786433])
def test_base64url_matches_python_and_has_one_spelling(node: NodeDriver, size: int) -> None:
    data = bytes((i * 37 + 11) % 256 for i in range(size))
    text = node.call(MODULE, "b64url", list(data))
    assert text == b64(data)
    assert bytes(node.call(MODULE, "unb64url", text).values()) == data


@pytest.mark.parametrize("text", ["A", "AB", "AAB", "AA==", "AA+A", "AA/A", "AA A", "AAé", "AA\n"])
def test_base64url_refuses_other_spellings(node: NodeDriver, text: str) -> None:
    assert node.call(MODULE, "unb64url", text) is None


def test_passphrase_typed_composed_or_decomposed_opens_the_same_file(node: NodeDriver) -> None:
    composed = "Perché è così, Åsa"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    text = plan_text(node)
    made_composed = node.call(MODULE, "protect", text, composed, QUICK)
    made_decomposed = node.call(MODULE, "protect", text, decomposed, QUICK)
    for made in (made_composed, made_decomposed):
        for typed in (composed, decomposed):
            assert open_in_app(node, made, typed) == {"text": text, "derivations": 1}
        assert joserfc_open(made, composed).decode() == text


# --- joserfc's files, opened by the app -----------------------------------------------------------------------------

JOSERFC_SHAPES = {
    "all parameters protected": ({"alg": ALG, "enc": ENC, "p2s": b64(b"0123456789abcdef"), "p2c": 210000,
                                  "cty": "application/json"}, None),
    "p2s and p2c in the unprotected header (joserfc's way)": ({"alg": ALG, "enc": ENC}, {"p2c": 210000}),
}


@pytest.mark.parametrize("shape", list(JOSERFC_SHAPES))
def test_joserfc_flattened_files_import(node: NodeDriver, shape: str) -> None:
    protected, header = JOSERFC_SHAPES[shape]
    text = plan_text(node)
    made = joserfc_protect(text, PASSPHRASE, dict(protected), header)
    doc = json.loads(made)
    if header:
        assert "p2s" in doc["header"] and "p2s" not in json.loads(unb64(doc["protected"]))
    assert open_in_app(node, made) == {"text": text, "derivations": 1}


def test_joserfc_compact_file_imports(node: NodeDriver) -> None:
    text = plan_text(node)
    header = {"alg": ALG, "enc": ENC, "p2s": b64(b"salt-of-16-bytes"), "p2c": 210000, "cty": "application/json"}
    made = jwe.encrypt_compact(header, text.encode(), key(PASSPHRASE), registry=registry())
    assert made.count(".") == 4
    assert node.call(MODULE, "recognise", made) == "compact"
    assert open_in_app(node, made) == {"text": text, "derivations": 1}


def test_recognises_protected_files_and_nothing_else(node: NodeDriver) -> None:
    text = plan_text(node)
    assert node.call(MODULE, "recognise", text) is None
    assert node.call(MODULE, "recognise", json.dumps({"format": "passo-plan", "ciphertext": "x"})) is None
    assert node.call(MODULE, "recognise", "not json at all") is None
    assert node.call(MODULE, "recognise", node.call(MODULE, "protect", text, PASSPHRASE, QUICK)) == "json"


# --- jose (npm) and jwcrypto (PyPI): each opens the app's files byte for byte, the app opens theirs --------------


@pytest.fixture
def jwcrypto_any_p2c(monkeypatch: pytest.MonkeyPatch) -> None:
    """jwcrypto refuses more than 16,384 derivation rounds unless told; the app's files carry 210,000."""
    monkeypatch.setattr(jwcrypto_jwa, "default_max_pbkdf2_iterations", 1_000_000)


def jwcrypto_key(passphrase: str) -> jwcrypto_jwk.JWK:
    return jwcrypto_jwk.JWK.from_password(passphrase)  # its UTF-8 bytes, as typed: no normalisation


def jwcrypto_open(text: str, passphrase: str) -> bytes:
    token = jwcrypto_jwe.JWE()
    token.deserialize(text, key=jwcrypto_key(passphrase))
    payload: bytes = token.payload
    return payload


def jwcrypto_protect(plaintext: str, passphrase: str, compact: bool = False, protected: str | None = None) -> str:
    """jwcrypto's way: a flattened file gets p2s (and here p2c) in its unprotected `header` member; a compact one
    has every parameter protected, written as `protected` says (json.dumps puts spaces after its commas)."""
    if protected is None:
        header: dict[str, Any] = {"alg": ALG, "enc": ENC, "cty": "application/json"}
        if compact:
            header |= {"p2c": QUICK["p2c"], "p2s": b64(os.urandom(16))}
        protected = json.dumps(header)
    token = jwcrypto_jwe.JWE(plaintext.encode(), protected=protected)
    token.add_recipient(jwcrypto_key(passphrase), header=None if compact else json.dumps(QUICK))
    made: str = token.serialize(compact=compact)
    return made


def jose_open(node: NodeDriver, text: str, passphrase: str) -> bytes:
    return base64.b64decode(node.call(JOSE, "openFlattened", text, passphrase))


def test_jose_and_jwcrypto_open_the_app_files_byte_for_byte(node: NodeDriver, jwcrypto_any_p2c: None) -> None:
    text = plan_text(node)
    made = node.call(MODULE, "protect", text, PASSPHRASE)  # as the app saves it: 210,000 rounds
    nfc = unicodedata.normalize("NFC", PASSPHRASE)
    assert jose_open(node, made, nfc) == text.encode()
    assert jwcrypto_open(made, nfc) == text.encode()


@pytest.mark.parametrize("maker", ["jose flattened", "jose compact", "jwcrypto flattened", "jwcrypto compact"])
def test_the_app_opens_files_jose_and_jwcrypto_made(node: NodeDriver, maker: str) -> None:
    text = plan_text(node)
    made = {
        "jose flattened": lambda: node.call(JOSE, "protectFlattened", text, PASSPHRASE, QUICK["p2c"]),
        "jose compact": lambda: node.call(JOSE, "protectCompact", text, PASSPHRASE, QUICK["p2c"]),
        "jwcrypto flattened": lambda: jwcrypto_protect(text, PASSPHRASE),
        "jwcrypto compact": lambda: jwcrypto_protect(text, PASSPHRASE, compact=True),
    }[maker]()
    assert node.call(MODULE, "recognise", made) == ("compact" if "compact" in maker else "json")
    assert open_in_app(node, made) == {"text": text, "derivations": 1}


@pytest.mark.parametrize("spacing", ["indented", "a space before the brace", "a tab between tokens"])
def test_a_compact_file_whose_header_json_has_white_space_opens(node: NodeDriver, spacing: str) -> None:
    """RFC 7515 (7.1, via RFC 7516) lets the header JSON hold white space; it used to be refused as "not JSON"."""
    header = {"alg": ALG, "enc": ENC, "p2c": QUICK["p2c"], "p2s": b64(os.urandom(16))}
    protected = {"indented": json.dumps(header, indent=2), "a space before the brace": " " + json.dumps(header),
                 "a tab between tokens": json.dumps(header, separators=(",\t", ":\t"))}[spacing]
    text = plan_text(node)
    made = jwcrypto_protect(text, PASSPHRASE, compact=True, protected=protected)
    assert made.startswith("eyJ") == (spacing == "a tab between tokens")  # '{"' still opens that one
    assert node.call(MODULE, "recognise", made) == "compact"
    assert open_in_app(node, made) == {"text": text, "derivations": 1}


@pytest.mark.parametrize("maker", ["jose", "jwcrypto"])
def test_a_file_made_elsewhere_with_a_decomposed_passphrase_opens(node: NodeDriver, maker: str) -> None:
    """A tool that takes the passphrase as typed, on a keyboard that types NFD: the NFC form fails, so the typed
    form is tried too (one more derivation, and only then); a composed passphrase is tried once."""
    decomposed = unicodedata.normalize("NFD", "Perché è così, Åsa")
    text = plan_text(node)
    made = (node.call(JOSE, "protectFlattened", text, decomposed, QUICK["p2c"]) if maker == "jose"
            else jwcrypto_protect(text, decomposed))
    assert open_in_app(node, made, decomposed) == {"text": text, "derivations": 2}
    composed = open_in_app(node, made, unicodedata.normalize("NFC", decomposed))
    assert (composed["kind"], composed["derivations"]) == ("passphrase", 1)
    # The app's own files hold the NFC form: either typing opens them at the first derivation.
    own = node.call(MODULE, "protect", text, decomposed, QUICK)
    assert open_in_app(node, own, decomposed) == {"text": text, "derivations": 1}


def test_a_wrong_passphrase_with_accents_costs_two_derivations_and_still_says_so(node: NodeDriver) -> None:
    made = node.call(MODULE, "protect", plan_text(node), PASSPHRASE, QUICK)
    wrong = open_in_app(node, made, unicodedata.normalize("NFD", "Perché no, è sbagliata"))
    assert (wrong["kind"], wrong["derivations"]) == ("passphrase", 2)


# --- wrong passphrase, damaged file ---------------------------------------------------------------------------------


def test_wrong_passphrase_says_so_and_the_right_one_still_opens(node: NodeDriver) -> None:
    text = plan_text(node)
    made = node.call(MODULE, "protect", text, PASSPHRASE, QUICK)
    wrong = open_in_app(node, made, PASSPHRASE.upper())
    assert wrong == {"kind": "passphrase", "derivations": 1, "message": (
        "This passphrase does not open this file. Check it and try again: capitals and accents count.")}
    assert open_in_app(node, made)["text"] == text


@pytest.mark.parametrize("member", ["tag", "ciphertext", "iv"])
def test_a_changed_byte_after_protection_is_found(node: NodeDriver, member: str) -> None:
    doc = json.loads(node.call(MODULE, "protect", plan_text(node), PASSPHRASE, QUICK))
    raw = bytearray(unb64(doc[member]))
    raw[0] ^= 1
    doc[member] = b64(bytes(raw))
    result = open_in_app(node, json.dumps(doc))
    assert result == {"kind": "damaged", "derivations": 1, "message": (
        "The passphrase is right, but the file was changed or damaged after it was protected, so it cannot be opened.")}


# --- hostile files: refused before any key derivation ---------------------------------------------------------------


@functools.cache
def _valid_file() -> str:
    header = {"alg": ALG, "enc": ENC, "p2s": b64(b"0123456789abcdef"), "p2c": 210000, "cty": "application/json"}
    return joserfc_protect('{"format": "passo-plan"}', PASSPHRASE, header)


def valid_file() -> dict[str, Any]:
    """A well-formed file in the contract's shape (made by joserfc); its header is then changed per case."""
    doc: dict[str, Any] = json.loads(_valid_file())
    return doc


def with_header(protected: dict[str, Any] | str, **members: Any) -> str:
    doc = valid_file()
    doc["protected"] = b64((protected if isinstance(protected, str) else json.dumps(protected)).encode())
    doc.update(members)
    return json.dumps(doc)


GOOD = {"alg": ALG, "enc": ENC, "p2s": b64(b"0123456789abcdef"), "p2c": 210000}
ROUNDS = "This protected file asks for {} rounds of key derivation; Passo accepts 1,000 to 1,000,000."
NOT_WHOLE = "This protected file is not valid: “p2c” is not a whole number."
NOT_VALID = "This protected file is not valid: “{}” {}"


def dup_member() -> str:
    doc = valid_file()
    text = json.dumps(doc)
    return text[:-1] + f', "iv": "{doc["iv"]}"}}'


def bad_b64(member: str, value: str) -> str:
    doc = valid_file()
    doc[member] = value
    return json.dumps(doc)


HOSTILE: dict[str, tuple[str, str]] = {
    "p2c below 1,000": (with_header(GOOD | {"p2c": 999}), ROUNDS.format(999)),
    "p2c above 1,000,000": (with_header(GOOD | {"p2c": 1000001}), ROUNDS.format(1000001)),
    "p2c of 2**53": (with_header(GOOD | {"p2c": 2**53}), ROUNDS.format(2**53)),
    "p2c as a string": (with_header(GOOD | {"p2c": "210000"}), NOT_WHOLE),
    "p2c of 1.5": (with_header(GOOD | {"p2c": 1000.5}), NOT_WHOLE),
    "zip in the protected header": (
        with_header(GOOD | {"zip": "DEF"}),
        "This protected file is compressed (“zip”). Passo does not open compressed protected files."),
    "zip in the unprotected header": (
        with_header(GOOD, header={"zip": "DEF"}),
        "This protected file is compressed (“zip”). Passo does not open compressed protected files."),
    "another alg": (with_header(GOOD | {"alg": "PBES2-HS256+A128KW"}),
                    "This file is protected with “PBES2-HS256+A128KW”, which Passo does not open "
                    "(it opens PBES2-HS512+A256KW)."),
    "alg dir": (with_header(GOOD | {"alg": "dir"}),
                "This file is protected with “dir”, which Passo does not open (it opens PBES2-HS512+A256KW)."),
    "another enc": (with_header(GOOD | {"enc": "A128CBC-HS256"}),
                    "This file is protected with “A128CBC-HS256”, which Passo does not open (it opens A256GCM)."),
    "a key twice in the protected header": (
        with_header(f'{{"alg":"{ALG}","enc":"A256GCM","p2s":"{GOOD["p2s"]}","p2c":1000,"p2c":210000}}'),
        NOT_VALID.format("p2c", "appears twice.")),
    "a key in both headers": (with_header(GOOD, header={"p2c": 1000}), NOT_VALID.format("p2c", "appears twice.")),
    "a member twice": (dup_member(), NOT_VALID.format("iv", "appears twice.")),
    "a missing member": (json.dumps({k: v for k, v in valid_file().items() if k != "tag"}),
                         NOT_VALID.format("tag", "is missing.")),
    "a missing parameter": (with_header({k: v for k, v in GOOD.items() if k != "p2s"}),
                            NOT_VALID.format("p2s", "is missing.")),
    "an extra member (aad)": (with_header(GOOD, aad="eA"), NOT_VALID.format("aad", "is not allowed in it.")),
    "general serialization": (with_header(GOOD, recipients=[]),
                              NOT_VALID.format("recipients", "is not allowed in it.")),
    # Names every object inherits are only names, neither "twice" nor anything else.
    "constructor in the protected header": (with_header(GOOD | {"constructor": 1}),
                                            NOT_VALID.format("constructor", "is not allowed in it.")),
    "constructor in the unprotected header": (with_header(GOOD, header={"constructor": 1}),
                                              NOT_VALID.format("constructor", "is not allowed in it.")),
    "toString in the unprotected header": (with_header(GOOD, header={"toString": "x"}),
                                           NOT_VALID.format("toString", "is not allowed in it.")),
    "__proto__ in the unprotected header": (with_header(GOOD, header={"__proto__": {"p2c": 1}}),
                                            NOT_VALID.format("__proto__", "is not allowed in it.")),
    "hasOwnProperty in both headers": (with_header(GOOD | {"hasOwnProperty": 1}, header={"hasOwnProperty": 2}),
                                       NOT_VALID.format("hasOwnProperty", "appears twice.")),
    # The unprotected header is capped as the protected one is, before it is parsed (a 7 MB header of 600,000 keys
    # held the page for seconds before its first key was refused).
    "an unprotected header of 300,000 keys": (with_header(GOOD, header={f"k{i}": 0 for i in range(300_000)}),
                                              NOT_VALID.format("header", "has the wrong length.")),
    "an unprotected header just over the limit": (with_header(GOOD, header={"kid": "k" * 4096}),
                                                  NOT_VALID.format("header", "has the wrong length.")),
    "a crit header": (with_header(GOOD | {"crit": ["exp"], "exp": 1}),
                      NOT_VALID.format("crit", "is not allowed in it.")),
    "base64 with padding": (bad_b64("iv", "AAAAAAAAAAAAAAAA=="), NOT_VALID.format("iv", "is not base64url text.")),
    "base64 with + and /": (bad_b64("ciphertext", "ab+/cd"), NOT_VALID.format("ciphertext", "is not base64url text.")),
    "broken base64url in the header": (bad_b64("protected", "eyJ!"),
                                       NOT_VALID.format("protected", "is not base64url text.")),
    "an iv of the wrong length": (bad_b64("iv", b64(bytes(16))), NOT_VALID.format("iv", "has the wrong length.")),
    "a short salt": (with_header(GOOD | {"p2s": b64(b"short")}), NOT_VALID.format("p2s", "has the wrong length.")),
    "a header that is not an object": (with_header("[1, 2]"),
                                       "This protected file is not valid: its header is not a JSON object."),
    "a compact file with broken base64url": (
        b64(json.dumps(GOOD).encode()) + ".AA==.AA.AA.AA", NOT_VALID.format("encrypted_key", "is not base64url text.")),
    "over the import size limit": (
        json.dumps(valid_file() | {"ciphertext": "A" * (10 * 1024 * 1024)}),
        "This file is too large to import (10.0 MB; the limit is 10 MB)."),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_before_any_key_derivation(node: NodeDriver, case: str) -> None:
    text, message = HOSTILE[case]
    assert node.call(MODULE, "recognise", text) in ("json", "compact")
    assert open_in_app(node, text) == {"kind": "refused", "message": message, "derivations": 0}


# --- property: any plan survives ------------------------------------------------------------------------------------

JSON_LEAF = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=40)
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)


@settings(deadline=None, derandomize=True, max_examples=60)
@given(data=st.dictionaries(st.text(max_size=12), JSON_VALUE, max_size=6),
       passphrase=st.text(min_size=10, max_size=30), backup=st.booleans())
def test_any_plan_survives_protect_then_open_unchanged(node: NodeDriver, data: dict[str, Any], passphrase: str,
                                                       backup: bool) -> None:
    plan = make_plan([], revision=1)
    plan["data"] = data
    text = (node.call(PLAN_FILE, "backupFile", [plan, plan], "2025-06-01T08:00:00Z") if backup
            else node.call(PLAN_FILE, "planToFile", plan))
    made = node.call(MODULE, "protect", text, passphrase, QUICK)
    opened = open_in_app(node, made, unicodedata.normalize("NFD", passphrase))
    assert opened == {"text": text, "derivations": 1}
    assert json.loads(opened["text"]) == json.loads(text)
