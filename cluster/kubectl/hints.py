"""One plain-language line after a kubectl error, in the learner's language (ko/en).

The Kubernetes error stays exactly as kubectl prints it; the hint is our own
addition, shown apart (dimmed) in the terminal. Hints are matched on the
error text, first match wins, and a command shows at most one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cluster.core import errors

if TYPE_CHECKING:
    from cluster.kubectl.base import CommandError

_HINTS: dict[str, dict[str, str]] = {
    "selector-mismatch": {
        "en": "Hint: spec.selector.matchLabels must match the labels in spec.template.metadata.labels, "
        "otherwise the Deployment could not find the pods it creates.",
        "ko": "힌트: spec.selector.matchLabels 가 spec.template.metadata.labels 의 레이블과 같아야 합니다. "
        "그래야 디플로이먼트가 자신이 만든 파드를 찾을 수 있습니다.",
    },
    "tab": {
        "en": "Hint: YAML does not allow tab characters for indentation; indent with spaces (2 per level).",
        "ko": "힌트: YAML 은 들여쓰기에 탭 문자를 쓸 수 없습니다. 공백(단계마다 2칸)으로 들여쓰세요.",
    },
    "indent": {
        "en": "Hint: check the indentation around that line: keys of the same map must line up, "
        "and a key needs a space after its colon.",
        "ko": "힌트: 그 줄 주변의 들여쓰기를 확인하세요. 같은 맵의 키는 같은 칸에서 시작해야 하고, "
        "콜론 뒤에는 공백이 필요합니다.",
    },
    "not-found": {
        "en": "Hint: check the name with `kubectl get {resource}`; names are case-sensitive and namespaced.",
        "ko": "힌트: `kubectl get {resource}` 로 이름을 확인하세요. 이름은 대소문자를 구분하고 "
        "네임스페이스마다 다릅니다.",
    },
    "already-exists": {
        "en": "Hint: an object with this name exists already; use `kubectl apply -f` to update it or pick "
        "another name.",
        "ko": "힌트: 같은 이름의 오브젝트가 이미 있습니다. 수정하려면 `kubectl apply -f` 를 쓰거나 "
        "다른 이름을 고르세요.",
    },
    "quota": {
        "en": "Hint: this sandbox limits how many objects it holds, to keep it fast for everyone.",
        "ko": "힌트: 이 샌드박스는 모두가 빠르게 쓸 수 있도록 오브젝트 수를 제한합니다.",
    },
    "name": {
        "en": "Hint: names may use lowercase letters, digits and '-', and must start and end with a letter or digit.",
        "ko": "힌트: 이름에는 소문자, 숫자, '-' 만 쓸 수 있고 영문자나 숫자로 시작하고 끝나야 합니다.",
    },
    "unknown-field": {
        "en": "Hint: a field name is misspelled or misplaced; `kubectl explain` shows the valid fields.",
        "ko": "힌트: 필드 이름의 철자나 위치가 틀렸습니다. `kubectl explain` 으로 올바른 필드를 확인하세요.",
    },
    "resource-typo": {
        "en": "Hint: did you mean `{suggestion}`? `kubectl api-resources` lists every resource type.",
        "ko": "힌트: `{suggestion}` 을(를) 입력하려던 것인가요? `kubectl api-resources` 로 모든 "
        "리소스 종류를 볼 수 있습니다.",
    },
    "resource-unknown": {
        "en": "Hint: `kubectl api-resources` lists every resource type this cluster serves.",
        "ko": "힌트: `kubectl api-resources` 로 이 클러스터가 제공하는 리소스 종류를 모두 볼 수 있습니다.",
    },
    "kind-mapping": {
        "en": "Hint: check `kind` and `apiVersion`: Pod and Service use `v1`, Deployment and ReplicaSet `apps/v1`.",
        "ko": "힌트: `kind` 와 `apiVersion` 을 확인하세요. Pod·Service 는 `v1`, "
        "Deployment·ReplicaSet 은 `apps/v1` 입니다.",
    },
    "type-meta": {
        "en": "Hint: every manifest starts with `apiVersion:` and `kind:` (e.g. `apiVersion: apps/v1`, `kind: "
        "Deployment`).",
        "ko": "힌트: 매니페스트는 `apiVersion:` 과 `kind:` 로 시작해야 합니다 (예: `apiVersion: "
        "apps/v1`, `kind: Deployment`).",
    },
    "one-name": {
        "en": "Hint: give exactly one name right after the type, e.g. `kubectl create deployment web --image=nginx`.",
        "ko": "힌트: 종류 바로 뒤에 이름을 하나만 쓰세요. 예: `kubectl create deployment web --image=nginx`",
    },
    "image-required": {
        "en": "Hint: say which container image to run with --image, e.g. `--image=nginx`.",
        "ko": "힌트: --image 로 실행할 컨테이너 이미지를 지정하세요. 예: `--image=nginx`",
    },
    "port-required": {
        "en": "Hint: add --port=<number> (the port the service listens on), e.g. `--port=80`.",
        "ko": "힌트: --port=<번호> 로 서비스가 받을 포트를 지정하세요. 예: `--port=80`",
    },
    "name-missing": {
        "en": "Hint: add the object's name after the type, or use -l <selector> / --all to pick several.",
        "ko": "힌트: 종류 뒤에 오브젝트 이름을 쓰거나, 여러 개를 고르려면 -l <셀렉터> 또는 --all 을 쓰세요.",
    },
    "waiting": {
        "en": "Hint: the container has not started yet; watch it with `kubectl get pods -w` or look at "
        "`kubectl describe pod` events (a wrong image name shows up as ErrImagePull / ImagePullBackOff).",
        "ko": "힌트: 컨테이너가 아직 시작되지 않았습니다. `kubectl get pods -w` 로 지켜보거나 "
        "`kubectl describe pod` 의 "
        "이벤트를 확인하세요 (이미지 이름이 틀리면 ErrImagePull / ImagePullBackOff 가 보입니다).",
    },
    "nodeport-range": {
        "en": "Hint: nodePort must be between 30000 and 32767, and each nodePort can be used by only one Service.",
        "ko": "힌트: nodePort 는 30000~32767 사이여야 하고, 한 nodePort 는 서비스 하나만 쓸 수 있습니다.",
    },
    "immutable": {
        "en": "Hint: this field cannot change after creation; delete the object and create it again.",
        "ko": "힌트: 이 필드는 만든 뒤에는 바꿀 수 없습니다. 오브젝트를 지우고 다시 만드세요.",
    },
    "overwrite": {
        "en": "Hint: add --overwrite to replace the existing value.",
        "ko": "힌트: 기존 값을 바꾸려면 --overwrite 를 붙이세요.",
    },
    "drain-force": {
        "en": "Hint: pods without a controller are gone for good once deleted; add --force if that is what you want.",
        "ko": "힌트: 컨트롤러가 없는 파드는 지우면 다시 생기지 않습니다. 그래도 괜찮다면 --force 를 붙이세요.",
    },
    "container-name": {
        "en": "Hint: `kubectl get pod <name> -o jsonpath='{{.spec.containers[*].name}}'` lists the container names.",
        "ko": "힌트: `kubectl get pod <이름> -o jsonpath='{{.spec.containers[*].name}}'` 로 컨테이너 "
        "이름을 볼 수 있습니다.",
    },
    "file-missing": {
        "en": "Hint: `ls` lists the sandbox's files; create one with `edit <file>`.",
        "ko": "힌트: `ls` 로 샌드박스의 파일을 볼 수 있고, `edit <파일>` 로 새 파일을 만들 수 있습니다.",
    },
}


def pick(key: str, lang: str, **fmt: str) -> str:
    table = _HINTS[key]
    return table.get(lang, table["en"]).format(**fmt)


def for_api_error(exc: errors.ApiError, lang: str) -> list[str]:
    text = exc.message + " " + " ".join(str(c.get("message", "")) for c in exc.causes())
    if "`selector` does not match template `labels`" in text:
        return [pick("selector-mismatch", lang)]
    if "is waiting to start" in text:
        return [pick("waiting", lang)]
    if "is not valid for pod" in text:
        return [pick("container-name", lang)]
    if exc.reason == "NotFound" and exc.details.get("kind") == "podmetrics":
        return [pick("not-found", lang, resource="pods")]  # `kubectl top pod` looks up a pod's metrics
    if exc.reason == "NotFound" and exc.details.get("kind"):
        return [pick("not-found", lang, resource=str(exc.details["kind"]))]
    if exc.reason == "AlreadyExists":
        return [pick("already-exists", lang)]
    if "exceeded quota" in text:
        return [pick("quota", lang)]
    if "RFC 1123" in text or "DNS-1035" in text:
        return [pick("name", lang)]
    if "unknown field" in text:
        return [pick("unknown-field", lang)]
    if "valid range" in text or "port is already allocated" in text:
        return [pick("nodeport-range", lang)]
    if "field is immutable" in text:
        return [pick("immutable", lang)]
    return []


def for_manifest_error(text: str, lang: str) -> list[str]:
    if "found character that cannot start any token" in text:
        return [pick("tab", lang)]
    if "did not find expected key" in text or "mapping values are not allowed" in text:
        return [pick("indent", lang)]
    if "apiVersion not set" in text or "kind not set" in text:
        return [pick("type-meta", lang)]
    return []


_COMMAND_PATTERNS: tuple[tuple[str, str], ...] = (
    ("no matches for kind", "kind-mapping"),
    ("exactly one NAME is required", "one-name"),
    ('required flag(s) "image" not set', "image-required"),
    ("--image is required", "image-required"),
    ("couldn't find port via --port flag", "port-required"),
    ("--port must be set", "port-required"),
    ("resource(s) were provided, but no name was specified", "name-missing"),
    ("and --overwrite is false", "overwrite"),
    ("--overwrite is false", "overwrite"),
    ("declare no controller", "drain-force"),
    ("unable to find container named", "container-name"),
    ("does not exist", "file-missing"),
)


def for_command_error(exc: CommandError, lang: str) -> list[str]:
    if exc.hint:
        return [exc.hint]
    text = exc.message
    for needle, key in _COMMAND_PATTERNS:
        if needle in text:
            if key == "file-missing" and "the path" not in text:
                continue
            return [pick(key, lang)]
    return for_manifest_error(text, lang)


def resource_typo(typed: str, known: list[str], lang: str) -> str:
    """``podz`` → ``pods``: the closest resource name, or the general pointer to api-resources."""
    from cluster.kubectl.main import _levenshtein

    word = typed.lower()
    scored = sorted((_levenshtein(word, k), not k.endswith("s"), k) for k in known)
    if scored and scored[0][0] <= max(1, min(2, len(word) // 3)):
        return pick("resource-typo", lang, suggestion=scored[0][2])
    if re.fullmatch(r"[a-z]+s?", word) and any(k.startswith(word[:3]) for k in known):
        match = next(k for k in known if k.startswith(word[:3]))
        return pick("resource-typo", lang, suggestion=match)
    return pick("resource-unknown", lang)
