"""The digest's chart: 14 days of GMV against the target's daily pace, and ACoS against its target, as a PNG.

Chinese legends need a CJK font: Noto Sans CJK (SIL Open Font License) comes from the `noto-cjk-sans-otc`
package, a dependency, so every install has it; a font installed on the system is used when that one is
missing. `opsbot doctor` runs ``font_check``. A day without data is drawn hatched and labelled "no data",
never as a bar of zero.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib import font_manager

from bot.reports.digest import ChartDay

# The first of these that matplotlib knows is drawn with; all carry Simplified Chinese.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
_PROBE = "毛利广告花费目标无数据"  # characters every Chinese chart label uses


@dataclass(frozen=True)
class ChartWords:
    """The chart's words, already translated: its title (scope and period) and each series' name."""

    title: str
    gmv: str
    pace: str
    acos: str
    spend: str
    acos_target: str
    no_data: str
    spend_no_sales: str


@cache
def cjk_font() -> str | None:
    """The CJK family the chart draws with, the bundled one registered first; None when none is installed."""
    try:
        from noto_cjk_sans_otc import FONT_PATH  # type: ignore[import-untyped]

        font_manager.fontManager.addfont(str(FONT_PATH))
    except (ImportError, OSError, RuntimeError):
        pass  # the system's fonts may still have one
    known = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known and _covers(known[family]):
            return family
    return None


def _covers(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        face = FT2Font(path)
    except (OSError, RuntimeError):
        return False
    return all(face.get_char_index(ord(c)) for c in _PROBE)


def font_check() -> tuple[bool, str]:
    """`opsbot doctor`'s line: whether Chinese legends will be drawn, and how to fix it when not."""
    family = cjk_font()
    if family is None:
        return False, (
            "no CJK font: Chinese legends would be drawn as boxes; reinstall Opsbot "
            "(pip install -e .) to get noto-cjk-sans-otc, or install fonts-noto-cjk"
        )
    path = Path(next(f.fname for f in font_manager.fontManager.ttflist if f.name == family))
    return True, f"{family} ({path.name})"


def digest_chart(days: tuple[ChartDay, ...], base: str, words: ChartWords) -> bytes:
    family = cjk_font()
    with plt.rc_context(
        {"font.sans-serif": [*([family] if family else []), "DejaVu Sans"], "font.family": "sans-serif"}
    ):
        return _draw(days, base, words)


def _draw(days: tuple[ChartDay, ...], base: str, words: ChartWords) -> bytes:
    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(8, 5.4), sharex=True, height_ratios=(2, 1), layout="constrained"
    )
    figure.suptitle(words.title, fontsize=11)
    # Numeric positions, never the labels: matplotlib places categories in the order it first sees them, so
    # bars for only the days with data would put those days first and the hatching over the wrong bars.
    labels = [d.day.strftime("%m-%d") for d in days]
    at = list(range(len(days)))
    known = [i for i, d in enumerate(days) if d.gmv is not None]
    top.bar(known, [days[i].gmv or 0.0 for i in known], color="#2f6fb0", label=f"{words.gmv} ({base})")
    # No data is not zero: a hatched band, and the words, where a zero would be a flat bar.
    missing = [i for i, d in enumerate(days) if d.gmv is None]
    for n, i in enumerate(missing):
        top.axvspan(
            i - 0.4,
            i + 0.4,
            facecolor="none",
            edgecolor="#999",
            hatch="///",
            linewidth=0,
            label=words.no_data if n == 0 else None,
        )
        # In axes height, not data: a week without any data has no y scale to place words by.
        top.text(
            i,
            0.02,
            words.no_data,
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=7,
            color="#666",
            transform=top.get_xaxis_transform(),
            clip_on=True,
        ).set_in_layout(False)
    if any(d.pace is not None for d in days):
        top.plot(at, [d.pace for d in days], color="#d9822b", linewidth=2, label=words.pace)
    top.legend(loc="upper left", fontsize=8)
    # Spend shows even on a day without ad sales, when ACoS has no point to draw.
    spend = bottom.twinx()
    spend.bar(at, [d.ad_spend or 0 for d in days], color="#bbb", alpha=0.6)
    spend.set_ylabel(f"{words.spend} ({base})", fontsize=8)
    bottom.set_zorder(spend.get_zorder() + 1)
    bottom.patch.set_visible(False)
    bottom.plot(
        at, [d.acos * 100 if d.acos is not None else None for d in days], color="#a33", marker="o", label=words.acos
    )
    # Spend with no ad sales has no ACoS to plot; a marker at the foot says so instead of a silent gap.
    unsold = [i for i, d in enumerate(days) if d.acos is None and d.ad_spend]
    if unsold:
        bottom.plot(
            unsold,
            [0.0] * len(unsold),
            linestyle="none",
            marker="x",
            markersize=8,
            color="#a33",
            label=words.spend_no_sales,
            transform=bottom.get_xaxis_transform(),
            clip_on=False,
        )
    if any(d.acos_target is not None for d in days):
        bottom.step(
            at,
            [d.acos_target * 100 if d.acos_target is not None else None for d in days],
            where="mid",
            color="#a33",
            linestyle="--",
            linewidth=1,
            label=words.acos_target,
        )
    bottom.legend(loc="upper left", fontsize=7)
    bottom.set_ylabel(f"{words.acos} %")
    bottom.set_xticks(at, labels)
    bottom.tick_params(axis="x", labelrotation=45, labelsize=7)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return buffer.getvalue()
