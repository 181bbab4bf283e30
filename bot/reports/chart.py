"""The digest's chart: 14 days of GMV against the target's daily pace, and ACoS, as a PNG."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot
# Chinese labels need a CJK font; the first one installed wins, else the glyphs show as boxes.
matplotlib.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]

import matplotlib.pyplot as plt  # noqa: E402

from bot.reports.digest import ChartDay  # noqa: E402


def digest_chart(days: tuple[ChartDay, ...], base: str, titles: tuple[str, str, str, str]) -> bytes:
    """``titles``: (GMV axis label, target pace label, ACoS label, ad spend label), already translated."""
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), sharex=True, height_ratios=(2, 1))
    labels = [d.day.strftime("%m-%d") for d in days]
    top.bar(labels, [d.gmv or 0 for d in days], color="#2f6fb0", label=f"{titles[0]} ({base})")
    if any(d.pace is not None for d in days):
        top.plot(labels, [d.pace for d in days], color="#d9822b", linewidth=2, label=titles[1])
    top.legend(loc="upper left", fontsize=8)
    # Spend shows even on a day without ad sales, when ACoS has no point to draw.
    spend = bottom.twinx()
    spend.bar(labels, [d.ad_spend or 0 for d in days], color="#bbb", alpha=0.6)
    spend.set_ylabel(f"{titles[3]} ({base})", fontsize=8)
    bottom.set_zorder(spend.get_zorder() + 1)
    bottom.patch.set_visible(False)
    bottom.plot(labels, [d.acos * 100 if d.acos is not None else None for d in days], color="#a33", marker="o")
    bottom.set_ylabel(f"{titles[2]} %")
    bottom.tick_params(axis="x", labelrotation=45, labelsize=7)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing", category=UserWarning)
        figure.tight_layout()
        figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return buffer.getvalue()
