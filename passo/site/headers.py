"""Security and caching headers: the CSP every page carries, and the host files that send it."""

from __future__ import annotations

# In a <meta> tag; 'wasm-unsafe-eval' lets the search index's WebAssembly run and allows no JavaScript eval.
# Trusted Types: no string reaches an HTML or script sink (innerHTML, eval, a script URL...); the one policy,
# passo-sw (site_src/js/core/trusted-url.js), vouches for the service worker's own URL and nothing else.
CSP_META = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "manifest-src 'self'; worker-src 'self'; require-trusted-types-for 'script'; trusted-types passo-sw")
# As a header a host can also forbid framing, which a <meta> policy cannot express (Chromium warns about it there).
CSP_HEADER = CSP_META + "; frame-ancestors 'none'"

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def cache_control(path: str) -> str:
    """Fingerprinted files never change under one name; everything else is checked on every visit."""
    return IMMUTABLE if path.startswith("assets/") and path.count(".") >= 2 else REVALIDATE


def headers_file(base_path: str = "/") -> bytes:
    """Netlify / Cloudflare Pages `_headers`: the policy on every path, long caching only for fingerprints.

    Cache-Control is set only where rules do not overlap: both hosts merge the headers of every matching rule,
    and their own default for everything else (max-age=0, must-revalidate) is what HTML, sw.js and the manifest
    need."""
    lines = [f"{base_path}*"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()]
    lines += ["", f"{base_path}assets/*", f"  Cache-Control: {IMMUTABLE}", "", f"{base_path}sw.js",
              f"  Cache-Control: {REVALIDATE}", ""]
    return "\n".join(lines).encode("utf-8")


def nginx_snippet(base_path: str, root: str) -> str:
    """The nginx location blocks the deployment guide gives, and the tests run."""
    sec = "\n".join(f"        add_header {name} \"{value}\" always;" for name, value in SECURITY_HEADERS.items())
    alias = root.rstrip("/") + "/"
    return f"""    location {base_path} {{
        alias {alias};
        index index.html;
        error_page 404 {base_path}404.html;
{sec}
        add_header Cache-Control "{REVALIDATE}" always;
        # Debian's mime.types has no entry for the web app manifest.
        location = {base_path}manifest.webmanifest {{
            alias {alias}manifest.webmanifest;
            default_type application/manifest+json;
{sec}
            add_header Cache-Control "{REVALIDATE}" always;
        }}
        location ~ "^{base_path}assets/.+\\.[0-9a-f]{{10}}\\.(js|css)$" {{
{sec}
            add_header Cache-Control "{IMMUTABLE}" always;
        }}
    }}
"""
