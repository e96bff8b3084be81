"""Benchmark: the similar-question suggestion while typing, at 10 000 answered questions. Target: under 100 ms.

    .venv/bin/python bench/ambassadors_suggest.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wb_bench_amb .venv/bin/python bench/ambassadors_suggest.py

Builds a throw-away test database with 10 000 answered, published questions (and their search
terms), then prints the median and slowest time of:

1. `selectors.similar_questions` (the suggestion query) for a set of typed questions;
2. the whole JSON request `GET /ambassadors/ask/check/?text=…` that `ask.js` makes while typing
   (identity warnings + suggestions + JSON), for a signed-in professional.
"""

from __future__ import annotations

from ambassadors_common import fill, test_database, timed

N = 10_000
QUERIES = [
    "Hoe wordt het loon verrekend met de WIA-uitkering als mijn cliënt parttime gaat werken?",
    "beslagvrije voet bij een nieuwe baan",
    "reiskosten proefplaatsing",
    "Mag de behandelaar gegevens delen met de werkgever zonder schriftelijke toestemming?",
    "Wie heeft de regie als drie organisaties betrokken zijn?",
    "ontheffing sollicitatieplicht tijdens behandeling in de GGZ",
    "Kan een jobcoach via UWV worden aangevraagd voor begeleiding op de werkplek",
    "wachtlijst",
    "Een vraag over iets heel anders, zoals de fietsenwerkplaats",
    "energierekening achterstand bijzondere bijstand afsluiting",
]


def main() -> None:
    connection, old_name = test_database()
    try:
        from django.test import Client

        from werkbrug.ambassadors import selectors

        region, asker, _person, _labels = fill(N, answered=True)
        print(f"{N} answered questions ({connection.vendor})")
        per_query = []
        for query in QUERIES:
            median, slowest, _ = timed(lambda q=query: selectors.similar_questions(user=asker, query=q), runs=10)
            per_query.append((median, slowest))
            found = len(selectors.similar_questions(user=asker, query=query))
            print(f"  {median:6.1f} ms median, {slowest:6.1f} ms slowest, {found} suggestions: {query[:60]}")
        print(f"suggestion query: median of medians {sorted(m for m, _ in per_query)[len(per_query) // 2]:.1f} ms, "
              f"slowest {max(s for _, s in per_query):.1f} ms (target < 100 ms)")
        client = Client()
        client.force_login(asker)
        samples = []
        for query in QUERIES:
            median, slowest, _ = timed(lambda q=query: client.get("/ambassadors/ask/check/", {"text": q}), runs=5)
            samples.append((median, slowest))
        assert client.get("/ambassadors/ask/check/", {"text": QUERIES[0]}).status_code == 200
        print(f"whole JSON request /ambassadors/ask/check/: median {sorted(m for m, _ in samples)[len(samples) // 2]:.1f} ms, "
              f"slowest {max(s for _, s in samples):.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
