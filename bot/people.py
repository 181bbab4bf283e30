"""Who a Slack user is, as far as the bot needs: time zone, locale, display name, group membership.

Read from ``users.info`` (with ``include_locale``) and ``usergroups.users.list``, cached for an hour
so a fan-out of prompts does not hit Slack's rate limits.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
_TTL_SECONDS = 3600.0


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    tz: str | None
    locale: str | None


class People:
    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._profiles: dict[str, tuple[float, Profile]] = {}
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._private: dict[str, bool] = {}

    def profile(self, user_id: str) -> Profile:
        cached = self._profiles.get(user_id)
        if cached and time.monotonic() - cached[0] < _TTL_SECONDS:
            return cached[1]
        try:
            user = self._client.users_info(user=user_id, include_locale=True)["user"]
            profile = Profile(
                user_id=user_id,
                name=str(user.get("real_name") or user.get("name") or user_id),
                tz=user.get("tz"),
                locale=user.get("locale"),
            )
        except SlackApiError as exc:
            # An unknown profile is not fatal: the team's time zone and language stand in.
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            profile = Profile(user_id=user_id, name=user_id, tz=None, locale=None)
        self._profiles[user_id] = (time.monotonic(), profile)
        return profile

    def group_members(self, group_id: str) -> frozenset[str]:
        cached = self._groups.get(group_id)
        if cached and time.monotonic() - cached[0] < _TTL_SECONDS:
            return cached[1]
        try:
            members = frozenset(self._client.usergroups_users_list(usergroup=group_id)["users"])
        except SlackApiError as exc:
            log.warning("usergroups.users.list failed for %s: %s", group_id, exc.response.get("error"))
            members = frozenset()
        self._groups[group_id] = (time.monotonic(), members)
        return members

    def channel_is_private(self, channel_id: str) -> bool:
        """True for private channels, DMs and group DMs — what must not be reposted publicly unasked."""
        if channel_id not in self._private:
            try:
                info = self._client.conversations_info(channel=channel_id)["channel"]
                self._private[channel_id] = bool(info.get("is_private") or info.get("is_im") or info.get("is_mpim"))
            except SlackApiError as exc:
                # Unknown means private: better to ask the reporter than to leak.
                log.warning("conversations.info failed for %s: %s", channel_id, exc.response.get("error"))
                self._private[channel_id] = True
        return self._private[channel_id]
