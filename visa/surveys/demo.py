"""Made-up answers for a demo space and the bench (pure: no Flask). Plausible, never real: each question is
skipped now and then, and agreement leans positive as the published surveys found."""

from __future__ import annotations

import random

from visa.surveys.questionnaire import CLOSED_QUESTIONS, Kind

#: How often a made-up member skips a question.
SKIP = 0.06
#: Weights of the agreement scale, "strongly disagree" to "strongly agree".
AGREEMENT_WEIGHTS = (2, 5, 14, 45, 34)


def made_up_answer(rng: random.Random) -> dict[str, str]:
    answer = {}
    for question in CLOSED_QUESTIONS:
        if rng.random() < SKIP:
            continue
        values = question.values
        if question.kind == Kind.AGREEMENT:
            answer[question.key] = rng.choices(values, AGREEMENT_WEIGHTS)[0]
        elif question.key.endswith("_km"):
            # Before: further away, often; now: the space is near home.
            weights = (1, 2, 3, 5, 6, 5, 3, 1) if question.key == "commute_before_km" else (1, 6, 7, 5, 2, 1, 1, 0)
            answer[question.key] = rng.choices(values, weights)[0]
        else:
            answer[question.key] = rng.choice(values)
    return answer


def made_up_answers(count: int, seed: int = 2011) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [made_up_answer(rng) for _ in range(count)]
