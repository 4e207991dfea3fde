#!/usr/bin/env python3
# Copied from the benchmark kit Passo's team keeps beside the project (bench/gen_corpus.py there), unchanged but
# for these two lines, so a clone of Passo runs its benchmark and the corpus test on its own.
"""Deterministic corpus of Markdown coaching-guide pages for SSG build benchmarks.

Usage:
    python gen_corpus.py N OUTDIR [--flavor yaml|pelican] [--per-section 50]

Writes N pages (~600 words each) into OUTDIR/section-XX/guide-NNNN.md.
Content is a pure function of the page number (random.Random(seed)), so two
runs with the same N give byte-identical files.

Each page has: front matter (title, lang, tags), h2/h3 headings, a bullet
list, a numbered list, a table, *emphasis*/**strong**, three internal links
to other pages and a fenced JSON code block.

Flavors:
  yaml     YAML front matter between '---' lines, tags as a YAML list; internal
           links are relative .md paths (MkDocs, Hugo, Eleventy, the plain
           Python loops).
  pelican  Pelican 'Key: value' metadata (Title/Lang/Tags/Date/Slug);
           internal links use Pelican's {filename}/path.md syntax.
"""
import argparse
import os
import random

WORDS = (
    "goal plan habit review progress coach client session focus energy time "
    "week month milestone target measure outcome action step priority value "
    "commitment reflection feedback obstacle support routine practice skill "
    "learning confidence balance health career team project deadline budget "
    "resource question insight pattern strength growth motivation journal "
    "evening morning daily weekly quarterly realistic specific achievable "
    "relevant bound small clear simple honest steady patient curious kind "
    "notice choose decide start finish track adjust celebrate share ask listen "
    "write read plan schedule rest move breathe prepare").split()

TAGS = ["habits", "career", "health", "planning", "reflection", "teams",
        "confidence", "time-management", "learning", "wellbeing"]

TOPICS = ["morning routine", "weekly review", "career change", "exercise habit",
          "deep work", "difficult conversations", "saving money", "learning a language",
          "better sleep", "public speaking", "delegation", "journaling",
          "networking", "stress management", "side project", "reading habit"]


def sentence(rng, lo=8, hi=16):
    n = rng.randint(lo, hi)
    ws = [rng.choice(WORDS) for _ in range(n)]
    # some emphasis
    if n > 6 and rng.random() < 0.35:
        i = rng.randrange(n)
        ws[i] = f"*{ws[i]}*"
    if n > 6 and rng.random() < 0.25:
        i = rng.randrange(n)
        ws[i] = f"**{ws[i]}**"
    s = " ".join(ws)
    return s[0].upper() + s[1:] + "."


def paragraph(rng, nsent):
    return " ".join(sentence(rng) for _ in range(nsent))


def page_path(i, per_section):
    return f"section-{i // per_section:02d}/guide-{i:04d}.md"


def link(i, j, n, per_section, flavor):
    target = page_path(j, per_section)
    title = f"Guide {j:04d}"
    if flavor == "pelican":
        return f"[{title}]({{filename}}/{target})"
    here_sec = page_path(i, per_section).split("/")[0]
    tsec, tfile = target.split("/")
    rel = tfile if tsec == here_sec else f"../{tsec}/{tfile}"
    return f"[{title}]({rel})"


def make_page(i, n, per_section, flavor):
    rng = random.Random(1000003 * (i + 1))
    topic = TOPICS[i % len(TOPICS)]
    title = f"Guide {i:04d}: {topic.capitalize()}"
    tags = sorted(rng.sample(TAGS, 3))
    others = [rng.randrange(n) for _ in range(3)]
    others = [o if o != i else (o + 1) % n for o in others]
    links = [link(i, j, n, per_section, flavor) for j in others]
    out = []
    if flavor == "pelican":
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        out += [f"Title: {title}", "Lang: en", f"Tags: {', '.join(tags)}",
                f"Date: 2024-{month:02d}-{day:02d} 09:00", f"Slug: guide-{i:04d}", ""]
    else:
        out += ["---", f'title: "{title}"', "lang: en", "tags:"]
        out += [f"  - {t}" for t in tags]
        out += ["---", ""]
    out += [paragraph(rng, 6) + f" See also {links[0]}.", ""]
    out += ["## Why it matters", "", paragraph(rng, 7), ""]
    out += ["### Key ideas", ""]
    out += [f"- {sentence(rng, 6, 12)}" for _ in range(5)] + [""]
    out += ["## Step-by-step plan", ""]
    out += [f"{k}. {sentence(rng, 8, 14)}" for k in range(1, 6)] + [""]
    out += ["### Example SMART goal", ""]
    out += ["| Criterion | Example | Check |", "| --- | --- | --- |"]
    for crit in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):
        out.append(f"| {crit} | {sentence(rng, 4, 7)} | {rng.choice(['yes', 'no', 'partly'])} |")
    out += [""]
    out += ["## Tracking progress", "", paragraph(rng, 6) + f" Compare with {links[1]}.", ""]
    out += ["```json",
            "{",
            f'  "goal": "{topic}",',
            f'  "measure": "{rng.randint(1, 10)} sessions per week",',
            f'  "start": "2024-{1 + i % 12:02d}-01",',
            f'  "due": "2024-{1 + (i + 3) % 12:02d}-28",',
            f'  "tags": [{", ".join(chr(34) + t + chr(34) for t in tags)}]',
            "}",
            "```", ""]
    out += ["## Related guides", ""]
    out += [f"- {l}" for l in links] + [""]
    out += ["## Reflection", "", paragraph(rng, 6), ""]
    out += ["### Questions to ask yourself", ""]
    out += [f"1. {sentence(rng, 6, 10)}" for _ in range(3)] + [""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--flavor", choices=["yaml", "pelican"], default="yaml")
    ap.add_argument("--per-section", type=int, default=50)
    a = ap.parse_args()
    words = 0
    for i in range(a.n):
        p = os.path.join(a.outdir, page_path(i, a.per_section))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        text = make_page(i, a.n, a.per_section, a.flavor)
        words += len(text.split())
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"wrote {a.n} pages to {a.outdir} ({a.flavor}), avg {words / max(a.n, 1):.0f} words/page")


if __name__ == "__main__":
    main()
