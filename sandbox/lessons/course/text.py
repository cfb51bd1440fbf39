"""Bilingual text: every learner-facing string of the course exists in Korean and English.

The course is Korean first (the syllabus is Korean); English is the fallback
for a language a text does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("ko", "en")


@dataclass(frozen=True)
class Text:
    ko: str
    en: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" and self.ko else self.en or self.ko

    def format(self, **values: object) -> Text:
        return Text(self.ko.format(**values), self.en.format(**values))

    def __add__(self, other: Text) -> Text:
        return Text(self.ko + other.ko, self.en + other.en)

    def as_dict(self) -> dict[str, str]:
        return {"ko": self.ko, "en": self.en}


def same(text: str) -> Text:
    """A text that reads the same in both languages (a name, a command, a value)."""
    return Text(text, text)


def join(texts: list[Text], sep: str = ", ") -> Text:
    return Text(sep.join(t.ko for t in texts), sep.join(t.en for t in texts))
