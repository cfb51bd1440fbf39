from fractions import Fraction

import pytest

from cluster.core.quantity import (
    ERR_FORMAT_INVALID,
    ERR_SUFFIX,
    QuantityError,
    canonical_quantity,
    cpu_millis,
    format_bytes,
    format_cpu_millis,
    memory_bytes,
    parse_quantity,
    pod_limits,
    pod_requests,
    quantity_format,
)


@pytest.mark.parametrize(
    ("text", "value", "canonical", "fmt"),
    [
        ("100m", Fraction(1, 10), "100m", "DecimalSI"),
        ("0.5", Fraction(1, 2), "500m", "DecimalSI"),
        (".5", Fraction(1, 2), "500m", "DecimalSI"),
        ("1000m", 1, "1", "DecimalSI"),
        ("1500m", Fraction(3, 2), "1500m", "DecimalSI"),
        ("2", 2, "2", "DecimalSI"),
        ("+2", 2, "+2", "DecimalSI"),
        ("-1", -1, "-1", "DecimalSI"),
        ("1k", 1000, "1k", "DecimalSI"),
        ("1E", 10**18, "1E", "DecimalSI"),
        ("250u", Fraction(1, 4000), "250u", "DecimalSI"),
        ("1n", Fraction(1, 10**9), "1n", "DecimalSI"),
        ("0.0000000001", Fraction(1, 10**9), "1n", "DecimalSI"),  # rounded up to the smallest unit
        ("128Mi", 134217728, "128Mi", "BinarySI"),
        ("1024Mi", 2**30, "1Gi", "BinarySI"),
        ("1.5Gi", 1610612736, "1536Mi", "BinarySI"),
        ("4015948Ki", 4112330752, "4015948Ki", "BinarySI"),
        ("0.001Ki", Fraction(128, 125), "1024m", "BinarySI"),
        ("1e3", 1000, "1e3", "DecimalExponent"),
        ("12e2", 1200, "1200", "DecimalExponent"),
        ("1E-3", Fraction(1, 1000), "1E-3", "DecimalExponent"),  # already canonical: kept as written
        ("1e-05", Fraction(1, 100000), "10e-6", "DecimalExponent"),
        ("9Ei", 2**63 - 1, "9223372036854775807", "BinarySI"),  # capped at int64
        (" 64Mi ", 64 * 2**20, "64Mi", "BinarySI"),
        (3, 3, "3", "DecimalSI"),
        (0.25, Fraction(1, 4), "250m", "DecimalSI"),
        ("0", 0, "0", "DecimalSI"),
    ],
)
def test_parse_and_canonical_form(text: str | int | float, value: Fraction, canonical: str, fmt: str) -> None:
    assert parse_quantity(text) == value
    assert canonical_quantity(text) == canonical
    assert quantity_format(text) == fmt


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ERR_FORMAT_INVALID),
        ("1Q", ERR_FORMAT_INVALID),
        ("1.2.3", ERR_FORMAT_INVALID),
        ("abc", ERR_FORMAT_INVALID),
        ("1K", ERR_SUFFIX),  # kilo is lower-case k
        ("1mm", ERR_SUFFIX),
        ("1e", ERR_SUFFIX),
        (True, ERR_FORMAT_INVALID),
    ],
)
def test_invalid_quantities_use_apimachinery_messages(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert str(info.value) == message


def test_format_invalid_message_quotes_the_regular_expression() -> None:
    assert ERR_FORMAT_INVALID == (
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )


@pytest.mark.parametrize(
    ("text", "millis", "units"),
    [("100m", 100, 1), ("0.0001", 1, 1), ("2", 2000, 2), ("1.5", 1500, 2), ("1Ki", 1024000, 1024), ("0", 0, 0)],
)
def test_milli_value_and_value_round_up(text: str, millis: int, units: int) -> None:
    assert cpu_millis(text) == millis
    assert memory_bytes(text) == units


@pytest.mark.parametrize(
    ("count", "text"),
    [(134217728, "128Mi"), (4112330752, "4015948Ki"), (1536, "1536"), (1000, "1k"), (512, "512"), (0, "0")],
)
def test_format_bytes_is_canonical_binary_si(count: int, text: str) -> None:
    assert format_bytes(count) == text


@pytest.mark.parametrize(("millis", "text"), [(100, "100m"), (2000, "2"), (1500, "1500m"), (0, "0"), (10**6, "1k")])
def test_format_cpu_millis(millis: int, text: str) -> None:
    assert format_cpu_millis(millis) == text


def _container(requests: dict[str, str] | None = None, limits: dict[str, str] | None = None, **extra: str) -> dict:
    resources: dict = {}
    if requests:
        resources["requests"] = requests
    if limits:
        resources["limits"] = limits
    return {"name": "c", "image": "nginx", "resources": resources, **extra}


def _pod(containers: list[dict], init: list[dict] | None = None, overhead: dict | None = None) -> dict:
    spec: dict = {"containers": containers}
    if init:
        spec["initContainers"] = init
    if overhead:
        spec["overhead"] = overhead
    return {"kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def test_pod_requests_sum_containers_in_millicores_and_bytes() -> None:
    pod = _pod([_container({"cpu": "100m", "memory": "64Mi"}), _container({"cpu": "0.25", "memory": "1Gi"})])
    assert pod_requests(pod) == {"cpu": 350, "memory": 64 * 2**20 + 2**30}


def test_pod_requests_take_the_larger_of_init_containers_and_the_sum() -> None:
    pod = _pod(
        [_container({"cpu": "100m"}), _container({"cpu": "100m", "memory": "10Mi"})],
        init=[_container({"cpu": "500m", "memory": "1Mi"})],
    )
    assert pod_requests(pod) == {"cpu": 500, "memory": 10 * 2**20}


def test_sidecar_init_containers_add_to_the_pod_and_to_later_init_containers() -> None:
    sidecar = _container({"cpu": "200m"}, restartPolicy="Always")
    pod = _pod([_container({"cpu": "100m"})], init=[sidecar, _container({"cpu": "250m"})])
    # running: 100m + 200m sidecar = 300m; while the second init container runs: 250m + 200m = 450m
    assert pod_requests(pod) == {"cpu": 450}


def test_limits_stand_in_for_missing_requests_and_overhead_is_added() -> None:
    pod = _pod([_container(limits={"cpu": "1", "memory": "128Mi"})], overhead={"cpu": "10m"})
    assert pod_requests(pod) == {"cpu": 1010, "memory": 128 * 2**20}
    assert pod_limits(pod) == {"cpu": 1010, "memory": 128 * 2**20}


def test_overhead_is_added_only_to_limited_resources() -> None:
    pod = _pod([_container(limits={"memory": "128Mi"})], overhead={"cpu": "10m", "memory": "1Mi"})
    assert pod_limits(pod) == {"memory": 129 * 2**20}


def test_non_zero_requests_fill_only_missing_container_requests() -> None:
    pod = _pod([_container(), _container({"cpu": "0", "memory": "1Gi"})])
    assert pod_requests(pod) == {"cpu": 0, "memory": 2**30}
    assert pod_requests(pod, non_zero=True) == {"cpu": 100, "memory": 200 * 2**20 + 2**30}


def test_sub_millicore_requests_are_summed_before_rounding() -> None:
    pod = _pod([_container({"cpu": "0.0004"}), _container({"cpu": "0.0004"})])
    assert pod_requests(pod) == {"cpu": 1}
