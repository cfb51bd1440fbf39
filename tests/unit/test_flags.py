import pytest

from cluster.kubectl.flags import Flag, FlagError, parse

FLAGS = [
    Flag("namespace", short="n"),
    Flag("output", short="o"),
    Flag("watch", kind="bool", short="w"),
    Flag("replicas", kind="int", default=1),
    Flag("image", kind="stringSlice"),
    Flag("env", kind="stringArray"),
    Flag("dry-run", default="none", no_opt_default="unchanged"),
    Flag("stdin", kind="bool", short="i"),
    Flag("tty", kind="bool", short="t"),
]


@pytest.mark.parametrize(
    ("tokens", "name", "value"),
    [
        (["-n", "dev"], "namespace", "dev"),
        (["-ndev"], "namespace", "dev"),
        (["--namespace=dev"], "namespace", "dev"),
        (["--namespace", "dev"], "namespace", "dev"),
        (["-o=wide"], "output", "wide"),
        (["-w"], "watch", True),
        (["--watch=false"], "watch", False),
        (["--replicas=3"], "replicas", 3),
        (["--image=a,b", "--image", "c"], "image", ["a", "b", "c"]),
        (["--env", "A=1,2", "--env=B=3"], "env", ["A=1,2", "B=3"]),
        (["--dry-run"], "dry-run", "unchanged"),
        (["--dry-run=client"], "dry-run", "client"),
        (["-it"], "tty", True),
    ],
)
def test_flag_forms(tokens: list[str], name: str, value: object) -> None:
    assert parse(tokens, FLAGS)[name] == value


def test_positionals_anywhere_and_double_dash() -> None:
    parsed = parse(["pods", "-n", "dev", "web", "--", "sleep", "-n", "3"], FLAGS)
    assert parsed.args == ["pods", "web"]
    assert parsed.after_dash == ["sleep", "-n", "3"]
    assert parsed["namespace"] == "dev"


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        (["--nope"], "unknown flag: --nope"),
        (["-x"], "unknown shorthand flag: 'x' in -x"),
        (
            ["--replicas=three"],
            'invalid argument "three" for "--replicas" flag: strconv.ParseInt: parsing "three": invalid syntax',
        ),
        (["-n"], "flag needs an argument: 'n' in -n"),
        (["--output"], "flag needs an argument: --output"),
    ],
)
def test_pflag_error_texts(tokens: list[str], message: str) -> None:
    with pytest.raises(FlagError) as err:
        parse(tokens, FLAGS)
    assert str(err.value) == message
