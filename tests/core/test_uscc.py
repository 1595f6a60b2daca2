import pytest

from greendesk.core import uscc


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91500113MA61RYP3XR", " 91350100m000100y43 "])
def test_valid(code):
    assert uscc.problem(code) is None
    assert uscc.normalize(code) == code.strip().upper()


@pytest.mark.parametrize("code,fragment", [
    ("91350100M000100Y44", "should be 3"),          # wrong check digit
    ("91350100M000100Y4", "18 characters"),          # too short
    ("91350100M000100Y433", "18 characters"),        # too long
    ("", "18 characters"),
    ("91350100M000100I43", "not allowed: I"),        # forbidden letters
    ("9135O100M000100Y43", "not allowed: O"),
    ("91350100M0001S0Y43", "not allowed: S"),
    ("91350100M000-00Y43", "not allowed: -"),
])
def test_invalid(code, fragment, monkeypatch):
    monkeypatch.setenv("GREENDESK_LANG", "en")
    err = uscc.problem(code)
    assert err is not None and fragment in err.message()


def test_full_width_input_is_folded():
    # typed with a Chinese input method in full-width mode
    code = "９１３５０１００Ｍ０００１００Ｙ４３"
    assert uscc.problem(code) is None
    assert uscc.normalize(code) == "91350100M000100Y43"


def test_chinese_message(monkeypatch):
    monkeypatch.setenv("GREENDESK_LANG", "zh")
    assert "校验位" in uscc.problem("91350100M000100Y44").message()


def test_weights_follow_gb32100():
    assert uscc.WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert len(uscc.ALPHABET) == 31 and not set("IOZSV") & set(uscc.ALPHABET)


def test_every_single_character_change_is_caught():
    good = "91350100M000100Y43"
    for i in range(18):
        for c in uscc.ALPHABET:
            if c != good[i]:
                assert not uscc.is_valid(good[:i] + c + good[i + 1:])
