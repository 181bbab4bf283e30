"""The report exports Opsbot knows, by the columns their header carries (see docs/features/kpi.md).

A format is recognised by a few distinctive columns (its signature); the columns it needs are then
checked one by one so a damaged export names the missing column. Only the columns a format needs are
ever read: buyer names, emails and addresses in order exports are never loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.errors import N_


def normalize(header: object) -> str:
    """Header text as compared: no BOM or quotes, lower case, en dashes as hyphens, single spaces."""
    text = str(header).replace("\ufeff", "").strip().strip('"').strip().lower()
    return re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-"))


@dataclass(frozen=True)
class ReportFormat:
    kind: str
    label: str  # N_-marked: shown to users
    signature: frozenset[str]
    # logical name -> accepted header spellings, first match wins; optional ones may be absent
    needs: dict[str, tuple[str, ...]]
    optional: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The export also carries buyers' names, emails or addresses (never read): its cells are never quoted.
    personal: bool = False

    def find(self, headers: list[str], name: str) -> str | None:
        spellings = self.needs.get(name) or self.optional.get(name) or ()
        return next((h for s in spellings for h in headers if h == s), None)


def _f(kind: str, label: str, signature: set[str], needs: dict[str, tuple[str, ...]],
       optional: dict[str, tuple[str, ...]] | None = None, *, personal: bool = False) -> ReportFormat:
    return ReportFormat(kind, label, frozenset(signature), needs, optional or {}, personal)


FORMATS: tuple[ReportFormat, ...] = (
    _f("business_child", N_("Amazon Business Report by child item"), {"(child) asin", "units ordered"},
       {"child_asin": ("(child) asin",), "sku": ("sku",), "sessions": ("sessions - total", "sessions"),
        "units": ("units ordered",), "gmv": ("ordered product sales",)},
       {"page_views": ("page views - total", "page views"), "orders": ("total order items",),
        "parent_asin": ("(parent) asin",)}),
    _f("business_date", N_("Amazon Business Report by date"), {"date", "ordered product sales", "units ordered"},
       {"date": ("date",), "gmv": ("ordered product sales",), "units": ("units ordered",),
        "sessions": ("sessions - total", "sessions")},
       {"orders": ("total order items",), "page_views": ("page views - total", "page views")}),
    _f("ads", N_("Sponsored Products advertised product report"), {"advertised sku", "impressions"},
       {"date": ("date",), "sku": ("advertised sku",), "impressions": ("impressions",), "clicks": ("clicks",),
        "spend": ("spend",), "ad_sales": ("7 day total sales",)},
       {"ad_orders": ("7 day total orders (#)",), "currency": ("currency",), "campaign": ("campaign name",)}),
    _f("ads", N_("Sponsored Products advertised product report"), {"advertisedsku", "impressions"},
       {"date": ("date",), "sku": ("advertisedsku",), "impressions": ("impressions",), "clicks": ("clicks",),
        "spend": ("cost",), "ad_sales": ("sales7d",)},
       {"ad_orders": ("purchases7d",), "campaign": ("campaignname",)}),
    _f("restock", N_("FBA Restock Inventory report"), {"merchant sku", "recommended replenishment qty"},
       {"country": ("country",), "sku": ("merchant sku",), "available": ("available",), "inbound": ("inbound",)}),
    _f("inventory_health", N_("FBA inventory health report"), {"snapshot-date", "sellable-quantity"},
       {"date": ("snapshot-date",), "sku": ("sku",), "available": ("sellable-quantity",),
        "inbound": ("in-bound-quantity",)}),
    _f("inventory", N_("FBA inventory report"), {"seller-sku", "quantity available"},
       {"sku": ("seller-sku",), "available": ("quantity available",)},
       {"condition": ("warehouse-condition-code",)}),
    _f("returns", N_("FBA customer returns report"), {"return-date", "detailed-disposition"},
       {"date": ("return-date",), "sku": ("sku",), "units": ("quantity",), "reason": ("reason",)}),
    _f("orders", N_("Amazon All Orders report"), {"amazon-order-id", "purchase-date"},
       {"order": ("amazon-order-id",), "date": ("purchase-date",), "status": ("order-status",),
        "channel": ("sales-channel",), "sku": ("sku",), "units": ("quantity",), "gmv": ("item-price",),
        "currency": ("currency",)},
       {"item_status": ("item-status",)}, personal=True),
    _f("transactions", N_("Amazon date range transaction report"), {"date/time", "settlement id"},
       {"date": ("date/time",), "type": ("type",), "order": ("order id",), "sku": ("sku",),
        "units": ("quantity",), "channel": ("marketplace",), "gmv": ("product sales",)}, personal=True),
    _f("shopify", N_("Shopify orders export"), {"lineitem sku", "financial status"},
       {"order": ("name",), "date": ("created at",), "status": ("financial status",), "sku": ("lineitem sku",),
        "units": ("lineitem quantity",), "price": ("lineitem price",), "currency": ("currency",)},
       {"cancelled": ("cancelled at",)}, personal=True),
    _f("generic", N_("generic daily CSV"), {"date", "marketplace", "sku", "units"},
       {"date": ("date",), "marketplace": ("marketplace",), "sku": ("sku",), "units": ("units",)},
       {"orders": ("orders",), "gmv": ("gmv",), "currency": ("currency",), "sessions": ("sessions",),
        "page_views": ("page_views",), "available": ("available",), "inbound": ("inbound",)}),
)


def detect(headers: list[str]) -> ReportFormat | None:
    """The format whose signature the header carries; the most specific one when several do."""
    present = set(headers)
    matching = [f for f in FORMATS if f.signature <= present]
    return max(matching, key=lambda f: len(f.signature)) if matching else None


def closest(headers: list[str]) -> tuple[ReportFormat, list[str]]:
    """The known format sharing the most needed columns with this header, and the columns it lacks."""
    present = set(headers)

    def wanted(f: ReportFormat) -> list[str]:
        return sorted({s[0] for s in f.needs.values()} | f.signature)

    best = max(FORMATS, key=lambda f: len(present & set(wanted(f))) / len(wanted(f)))
    return best, [c for c in wanted(best) if c not in present]


# Amazon's sales-channel names, and the country codes of the Restock report, as marketplace codes.
CHANNELS = {
    "amazon.com": "US", "amazon.ca": "CA", "amazon.com.mx": "MX", "amazon.com.br": "BR", "amazon.co.uk": "UK",
    "amazon.de": "DE", "amazon.fr": "FR", "amazon.it": "IT", "amazon.es": "ES", "amazon.nl": "NL",
    "amazon.se": "SE", "amazon.pl": "PL", "amazon.com.be": "BE", "amazon.co.jp": "JP", "amazon.com.au": "AU",
    "amazon.sg": "SG", "amazon.ae": "AE", "amazon.sa": "SA", "amazon.in": "IN", "amazon.com.tr": "TR",
}
COUNTRIES = {"GB": "UK"}
MARKETPLACES = frozenset({*CHANNELS.values(), "SHOPIFY"})
