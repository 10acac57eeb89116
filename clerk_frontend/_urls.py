"""URL helpers of the redirect flows: absolute URLs, hash sub-routes as clerk-js builds them, query parameters."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .errors import ClerkValidationError

__all__ = ["absolute_url", "origin_of", "query_param", "set_query_param", "with_hash_path"]

_SCHEMES = ("http", "https")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL (lower-cased as browsers compare origins)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def absolute_url(url: object, page_href: str | None, where: str) -> str:
    """``url`` made absolute against the page, checked to be an http(s) URL; ClerkValidationError otherwise."""
    if not isinstance(url, str) or not url.strip():
        raise ClerkValidationError(f"{where} must be a non-empty URL string, got {url!r}.")
    text = url.strip()
    if not urlsplit(text).scheme:
        if page_href is None:
            raise ClerkValidationError(
                f"{where} {text!r} is relative and there is no browser page to resolve it against: pass an absolute "
                "http(s) URL.")
        text = urljoin(page_href, text)
    parts = urlsplit(text)
    if parts.scheme.lower() not in _SCHEMES or not parts.netloc:
        raise ClerkValidationError(f"{where} must be an http(s) URL, got {url!r}.")
    return text


def query_param(url: str, name: str) -> str | None:
    """The first non-empty value of query parameter ``name`` in ``url``, or None."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key == name and value:
            return value
    return None


def set_query_param(url: str, name: str, value: str) -> str:
    """``url`` with ``name=value`` in its query, replacing earlier values of ``name``."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    pairs.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def _join_paths(first: str, second: str) -> str:
    joined = f"{first}/{second}"
    while "//" in joined:
        joined = joined.replace("//", "/")
    return joined


def with_hash_path(base: str | None, hash_path: str, page_href: str | None) -> str:
    """clerk-js's ``buildURL({base, hashPath})``: ``base`` (resolved against the page) with ``hash_path`` joined
    onto the path inside its hash, e.g. ``https://app.test/sign-in`` + ``/factor-one`` ->
    ``https://app.test/sign-in#/factor-one``."""
    url = base or ""
    if page_href is not None:
        url = urljoin(page_href, url)
    parts = urlsplit(url)
    inner = urlsplit(parts.fragment)
    path = _join_paths(inner.path if inner.path.startswith("/") else "/" + inner.path, hash_path)
    fragment = path + (f"?{inner.query}" if inner.query else "")
    if fragment == "/":
        return url
    return urlunsplit(parts._replace(fragment=fragment))
