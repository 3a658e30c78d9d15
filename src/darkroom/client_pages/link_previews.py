"""Whether a request for the client's page comes from a link preview, not from the client.

When a studio sends the link by SMS, email or chat, the messaging app (iMessage, WhatsApp,
Slack, Teams, Telegram…) or a mail scanner fetches the page to draw a preview card, often
before the client has seen the message. The page answers them as anyone (the preview shows
the studio's name), but "last opened" must mean the client looked, so their visits are not
noted. They are known by the names they give in ``User-Agent``; a name listed here is a
fetcher's, never part of a person's browser (which is why it is not a bare "bot": a phone
maker's model name may end in it; nor an app whose own browser names it, as Viber's does).
"""

from __future__ import annotations

# Lowercase parts of the User-Agent of the previewers and crawlers that fetch shared links.
PREVIEWERS = (
    "facebookexternalhit",  # Facebook, Messenger, and Apple's iMessage previews
    "facebot",
    "twitterbot",  # X, and iMessage
    "whatsapp",  # WhatsApp, and Signal's previews
    "slackbot",
    "slack-imgproxy",
    "telegrambot",
    "discordbot",
    "linkedinbot",
    "skypeuripreview",  # Skype and Microsoft Teams
    "microsoftpreview",
    "googlebot",
    "google-inspectiontool",
    "bingbot",
    "bingpreview",
    "applebot",
    "duckduckbot",
    "yandexbot",
    "pinterestbot",
    "redditbot",
    "embedly",
    "iframely",
    "(mastodon/",  # each Mastodon server fetches a link posted on it: "http.rb/… (Mastodon/…"
    "vkshare",
)


def is_link_preview(user_agent: str) -> bool:
    """True when ``user_agent`` names a link previewer or crawler (see :data:`PREVIEWERS`)."""
    agent = user_agent.lower()
    return any(name in agent for name in PREVIEWERS)
