"""Every table the project prints, as text for the console or markdown for the README: one place that
writes an accuracy, an interval and a p-value, so the console and the README say the same thing.

The numbers come from :mod:`hotdog.metrics` (one run) and :mod:`hotdog.study` (several seeds).
"""

from __future__ import annotations

from hotdog.metrics import ARTICLE
from hotdog.modes import MODE_LABELS, REGIMES
from hotdog.precision import readable


def format_p(p: float) -> str:
    """A p-value: two decimals, three below 0.01 (so 0.004 does not read as 0.00), and "p < 0.001" below that."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def format_interval(interval, signed: bool = False, separator: str = " to ") -> str:
    """A 95 % interval of shares as percentages, e.g. ``52.6% to 66.8%`` (``signed`` for differences)."""
    sign = "+" if signed else ""
    return f"{interval[0]:{sign}.1%}{separator}{interval[1]:{sign}.1%}"


def _difference(d: dict) -> str:
    """A paired difference over seeds: its mean and, with two seeds or more, its 95 % interval."""
    return f"{d['mean']:+.1%}" + (f" ({format_interval(d['interval95'], signed=True)})" if d["n"] > 1 else "")


def _mcnemar(m: dict) -> str:
    return f"McNemar: {m['only_a']} vs {m['only_b']} photos right only by one, {format_p(m['p_value'])}"


def _article(mode: str, width: int = 0) -> str:
    """The article's accuracy of ``mode``, or "-" for the regime the article did not have."""
    return f"{ARTICLE[mode]:>{width}.2%}" if mode in ARTICLE else f"{'-':>{width}}"


def format_table(results: dict[str, dict]) -> str:
    """One run: the article's table with ours beside it, as text."""
    lines = [f"{'trained on':<30}{'article':>9}{'this run':>10}   95% interval      correct", "-" * 74]
    for mode in REGIMES:
        if mode in results:
            r = results[mode]
            lines.append(f"{MODE_LABELS[mode]:<30}{_article(mode, 9)}{r['accuracy']:>10.2%}"
                         f"   {format_interval(r['interval95'], separator=' - ')}   {r['correct']}/{r['total']}")
    return "\n".join(lines)


def format_summary(summary: dict, title: str = "") -> str:
    """A study: the article's number beside our mean, spread and interval, then the paired tests."""
    n = len(summary["seeds"])
    lines = [title or f"{n} seeds ({', '.join(map(str, summary['seeds']))})",
             f"{'trained on':<30}{'article':>9}{'mean':>9}{'sd':>7}   95% interval (t, {_seeds(n)})   AUC", "-" * 86]
    for mode in REGIMES:
        if mode in summary["regimes"]:
            s = summary["regimes"][mode]
            auc = f"{s['auc']['mean']:.3f}" if "auc" in s else "-"
            spread = (f"{s['sd']:>7.1%}   {format_interval(s['interval95'], separator=' - ')}" if n > 1
                      else f"{'-':>7}   {'-':<15}")  # one seed has no spread
            lines.append(f"{MODE_LABELS[mode]:<30}{_article(mode, 9)}{s['mean']:>9.2%}{spread}{'':>9}{auc}")
    lines.append(f"always 'not hotdog' / majority class: {summary['majority_baseline']:.1%} on average")
    arithmetic = summary.get("computed_in", {})
    if len(set(arithmetic.values())) > 1 or any(a.startswith("mixed") for a in arithmetic.values()):
        lines.append("computed in: " + "; ".join(f"seed {seed} {a}" for seed, a in arithmetic.items()) +
                     " (--precision auto chooses by machine)")
    for name, pair in summary["pairs"].items():
        lines.append(f"{name:<22} difference {_difference(pair['difference'])}; {_mcnemar(pair['mcnemar'])}")
    return "\n".join(lines)


def _versus_label(key: str, reference: str) -> str:
    """A :func:`hotdog.study.versus` key as words: a regime, or a study's regime against another of the reference's."""
    if key in MODE_LABELS:
        return MODE_LABELS[key]
    mine, theirs = key.split(" - ")
    return f"{MODE_LABELS[mine]} - {reference}'s {MODE_LABELS[theirs]}"


def format_versus(comparison: dict, name: str, reference: str) -> str:
    """A study against a reference, one line per regime: the paired difference and McNemar's test."""
    lines = [f"{name} - {reference} (paired by seed, same test photos)"]
    for mode, c in comparison.items():
        lines.append(f"  {_versus_label(mode, reference):<26} {_difference(c['difference'])} over {c['difference']['n']} seeds; "
                     f"{_mcnemar(c['mcnemar'])}")
    return "\n".join(lines)


def _mean_cell(s: dict) -> str:
    cell = f"**{s['mean']:.1%}** ({format_interval(s['interval95'])})" if s["n"] > 1 else f"**{s['mean']:.1%}**"
    return cell + (f", AUC {s['auc']['mean']:.2f}" if "auc" in s else "")


def _gain_cell(summary: dict) -> str:
    pair = summary["pairs"].get("both - authentic")
    if pair is None:
        return "-"
    return f"{_difference(pair['difference'])}, McNemar {format_p(pair['mcnemar']['p_value'])}"


def _seeds(n: int) -> str:
    return f"{n} seed" if n == 1 else f"{n} seeds"


def format_markdown(summaries: dict[str, dict]) -> str:
    """The README's table: the article's single run beside each study's mean over seeds, its
    95 % t-interval and the mean AUC over the seeds, and the gain of ``both`` over ``authentic`` with its interval and McNemar p."""
    names = list(summaries)
    lines = ["| trained on | article (1 run) | " + " | ".join(
        f"{name} ({_seeds(len(summaries[name]['seeds']))})" for name in names) + " |", "|---" * (len(names) + 2) + "|"]
    for mode in REGIMES:
        row = [_mean_cell(summaries[n]["regimes"][mode]) if mode in summaries[n]["regimes"] else "-" for n in names]
        if mode in ARTICLE or any(cell != "-" for cell in row):  # the fourth regime only where a study has it
            lines.append(f"| {MODE_LABELS[mode]} | {_article(mode)} | " + " | ".join(row) + " |")
    gain_article = ARTICLE["both"] - ARTICLE["authentic"]
    lines.append(f"| gain of synthetic pre-training (both - authentic) | {gain_article:+.2%} | "
                 + " | ".join(_gain_cell(summaries[n]) for n in names) + " |")
    lines.append("| always the majority class | - | " + " | ".join(
        f"{summaries[n]['majority_baseline']:.1%}" for n in names) + " |")
    return "\n".join(lines)


def format_versus_markdown(comparisons: dict[str, dict], reference: str) -> str:
    """The README's ablation table: per study (a row) and regime (a column), the paired difference
    against ``reference`` with its 95 % interval and McNemar's p (see :func:`hotdog.study.versus`)."""
    modes = list(dict.fromkeys(key for c in comparisons.values() for key in c))
    lines = [f"| study minus {reference}, paired by seed | " + " | ".join(_versus_label(m, reference) for m in modes)
             + " | seeds |",
             "|---" * (len(modes) + 2) + "|"]
    for name, comparison in comparisons.items():
        cells = [f"{_difference(comparison[m]['difference'])}, {format_p(comparison[m]['mcnemar']['p_value'])}"
                 if m in comparison else "-" for m in modes]
        seeds = next(iter(comparison.values()))["seeds"] if comparison else []
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {len(seeds)} |")
    return "\n".join(lines)


def _seed_cell(result: dict) -> str:
    """One seed's regime: accuracy, AUC and how often it answered hotdog (a model leaning to one class shows)."""
    # confusion: rows the true class, columns the answer, "not hotdog" (0) first
    (_, false_hotdog), (_, true_hotdog) = result["confusion"]
    cell = f"{result['accuracy']:.1%}" + (f", AUC {result['auc']:.3f}" if result.get("auc") is not None else "")
    return cell + f", hotdog {(false_hotdog + true_hotdog) / result['total']:.0%}"


def format_seeds_markdown(name: str, records: list[dict]) -> str:
    """A study seed by seed: each regime's accuracy, AUC and share answered hotdog, and the CPU and arithmetic
    it was computed in (the seeds' minutes are not here: a resumed seed records only its last sitting)."""
    modes = [m for m in REGIMES if any(m in r["results"] for r in records)]
    lines = [f"| {name}: seed | " + " | ".join(MODE_LABELS[m] for m in modes) + " | computed on |",
             "|---" * (len(modes) + 2) + "|"]
    for r in sorted(records, key=lambda r: r["seed"]):
        cells = [_seed_cell(r["results"][m]) if m in r["results"] else "-" for m in modes]
        machine = r.get("machine", "").split(", ")  # experiment.machine(): arch, CPUs, [CPU name,] Python ...
        named = len(machine) > 2 and not machine[2].startswith("Python")  # no cpuinfo: no name
        cpu = machine[2].replace("(R)", "") if named else "?"
        arithmetic = readable(r.get("autocast"))
        lines.append(f"| {r['seed']} | " + " | ".join(cells) + f" | {cpu}, {arithmetic} |")
    return "\n".join(lines)
