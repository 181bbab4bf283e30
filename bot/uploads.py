"""A report file someone shared with the bot: checked, then downloaded from Slack's file host only.

The ``files`` entries of a ``file_share`` event are data the request carried, so each is checked
before anything is fetched: the type (by its name and by Slack's ``filetype``), the size Slack
reports, and that its ``url_private_download`` / ``url_private`` is on Slack's file host. The bot
token goes only there, in an ``Authorization: Bearer`` header, never to another host (a redirect
elsewhere is refused, not followed) and never into a log. The download stops as soon as it passes
``OPSBOT_MAX_UPLOAD_MB``, whatever size Slack claimed.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlsplit

from bot.config import Settings
from bot.errors import N_, OpsError

log = logging.getLogger(__name__)

ACCEPTED_EXTENSIONS = ("csv", "tsv", "txt", "xlsx")
# Slack calls a .txt file's type "text"; the rest it names after the extension.
ACCEPTED_FILETYPES = {"csv", "tsv", "txt", "text", "xlsx"}
SLACK_FILE_HOST = "files.slack.com"
_CHUNK = 64 * 1024
_TIMEOUT_SECONDS = 60

NOT_A_REPORT = N_("{file} is not a report file I can read. Share a CSV, TSV, TXT or XLSX export as you downloaded it "
                  "(Seller Central, Shopify or the generic CSV); nothing was loaded.")
TOO_LARGE = N_("{file} is larger than {limit} MB, the most I read from Slack, so nothing was loaded. Share a shorter "
               "date range, or ask your admin to load it with opsbot ingest.")
NOT_ON_SLACK = N_("{file} was not downloaded: its link does not point to Slack's file server. Nothing was loaded.")
NOT_DOWNLOADED = N_("{file} could not be downloaded from Slack ({reason}), so nothing was loaded. Share it again in a "
                    "moment.")


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int


@dataclass(frozen=True)
class SharedReport:
    """One shared file that passed the checks: its name as people see it, its type and where to fetch it."""

    name: str
    extension: str
    url: str


class SlackFiles:
    """Checks and downloads shared files with the bot token, within the size limit."""

    def __init__(self, settings: Settings, token: Callable[[], str | None]) -> None:
        """``token`` gives the bot token of the workspace being served (each workspace has its own)."""
        self.max_bytes = settings.max_upload_mb * 1024 * 1024
        self.limit_mb = settings.max_upload_mb
        self._token = token
        self.origins = file_hosts(settings.slack_api_url)

    def check(self, shared: Mapping[str, Any]) -> SharedReport:
        name = display_name(shared.get("name"))
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        filetype = str(shared.get("filetype") or "").lower()
        if extension not in ACCEPTED_EXTENSIONS or filetype not in ACCEPTED_FILETYPES:
            raise OpsError(NOT_A_REPORT, file=name)
        size = shared.get("size")
        if isinstance(size, int | float) and size > self.max_bytes:
            raise OpsError(TOO_LARGE, file=name, limit=self.limit_mb)
        url = link(str(shared.get("url_private_download") or shared.get("url_private") or ""))
        if not self.on_slack(url):
            log.warning("refused to download shared file %s: its link is not on Slack's file host (%s)",
                        shared.get("id"), urlsplit(url).hostname)
            raise OpsError(NOT_ON_SLACK, file=name)
        return SharedReport(name=name, extension=extension, url=url)

    def on_slack(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            origin = Origin(parts.scheme.lower(), (parts.hostname or "").lower(),
                            parts.port or (443 if parts.scheme.lower() == "https" else 80))
        except ValueError:  # a malformed port or host
            return False
        return origin in self.origins and not parts.username and not parts.password

    def download(self, report: SharedReport, target: Path) -> Path:
        """Write the file's bytes to ``target``; over the limit or off Slack's host, nothing is kept."""
        request = urllib.request.Request(report.url, headers={"Authorization": f"Bearer {self._token() or ''}"})
        opener = urllib.request.build_opener(_SameHostRedirects(self))
        try:
            with opener.open(request, timeout=_TIMEOUT_SECONDS) as response, target.open("wb") as out:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise OpsError(TOO_LARGE, file=report.name, limit=self.limit_mb)
                self._copy(response, out, report)
        except OpsError:
            target.unlink(missing_ok=True)
            raise
        except _RedirectedOffSlack:
            target.unlink(missing_ok=True)
            raise OpsError(NOT_ON_SLACK, file=report.name) from None
        except urllib.error.HTTPError as exc:
            target.unlink(missing_ok=True)
            raise OpsError(NOT_DOWNLOADED, file=report.name, reason=f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            target.unlink(missing_ok=True)
            log.warning("could not download a shared file: %s", exc.__class__.__name__)
            raise OpsError(NOT_DOWNLOADED, file=report.name, reason=exc.__class__.__name__) from None
        return target

    def _copy(self, response: IO[bytes], out: IO[bytes], report: SharedReport) -> None:
        written = 0
        while chunk := response.read(_CHUNK):
            written += len(chunk)
            if written > self.max_bytes:  # Slack's reported size may be wrong or missing: stop reading here
                raise OpsError(TOO_LARGE, file=report.name, limit=self.limit_mb)
            out.write(chunk)


class _RedirectedOffSlack(Exception):
    pass


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to Slack's file host: urllib would otherwise carry the token anywhere."""

    def __init__(self, files: SlackFiles) -> None:
        self.files = files

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if not self.files.on_slack(newurl):
            log.warning("refused a redirect of a shared file's download to %s", urlsplit(newurl).hostname)
            raise _RedirectedOffSlack()
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def file_hosts(api_url: str) -> frozenset[Origin]:
    """Slack's file host, plus the configured API's own host (the emulator, a proxy) and its files. host (GovSlack)."""
    api = urlsplit(api_url)
    scheme, host = api.scheme.lower(), (api.hostname or "").lower()
    port = api.port or (443 if scheme == "https" else 80)
    origins = {Origin("https", SLACK_FILE_HOST, 443), Origin(scheme, host, port)}
    if scheme == "https" and host not in ("slack.com", ""):
        origins.add(Origin("https", f"files.{host}", 443))
    return frozenset(origins)


def link(url: str) -> str:
    """The link with what an HTTP request line cannot carry (a space, Chinese in the file's name) escaped as
    %XX; escapes already there are kept, so a link Slack escaped itself is unchanged."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def display_name(raw: object) -> str:
    """The file's own name without folders, as the person named it: the blocks escape it where it is shown."""
    return Path(str(raw or "")).name.strip() or "report"
