"""The one stylesheet (text): defaults as custom properties on ``.cl-rootBox`` and ``.cl-theme-dark``; every class
of a selector inside ``:where()`` so page type selectors lose to it and the app's classes win over it (the sheet
is adopted, after the page's own); a unit test checks every selector."""

from __future__ import annotations

__all__ = ["BASE_CSS", "DEFAULT_THEME", "Theme", "split_rules"]


class Theme:
    """A resolved appearance (``appearance.resolve``): light or dark, the custom properties set by its variables
    (carried by the scope class ``cl-v-…``), the app's classes per element key, the social buttons' variant."""

    __slots__ = ("elements", "properties", "scope", "social", "theme")

    def __init__(self, theme: str = "light", properties: tuple[tuple[str, str], ...] = (), scope: str = "cl-v-base",
                 elements: dict[str, tuple[str, ...]] | None = None, social: str = "auto") -> None:
        self.theme = theme
        self.social = social
        self.properties = properties
        self.scope = scope
        self.elements = elements or {}

    def rule(self) -> str | None:
        """The stylesheet rule setting the custom properties on the scope class, or None when there are none."""
        if not self.properties:
            return None
        body = ";".join(f"{prop}:{value}" for prop, value in self.properties)
        return f".cl-rootBox.{self.scope}{{{body}}}"

    def classes(self, element: str) -> tuple[str, ...]:
        """The app's class names for an element key (``formButtonPrimary``)."""
        return self.elements.get(element, ())


#: No appearance given: light, the stylesheet's own defaults.
DEFAULT_THEME = Theme()

BASE_CSS = """
:where(.cl-rootBox){--cl-primary:#2f3037;--cl-on-primary:#fff;--cl-danger:#b42318;--cl-success:#067647;
--cl-text:#212126;--cl-text-secondary:#5e5e6b;--cl-bg:#fff;--cl-input-bg:#fff;--cl-input-text:#212126;
--cl-neutral:#c2c2cc;--cl-font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
--cl-font-buttons:var(--cl-font);--cl-font-size:1rem;--cl-radius:.5rem;--cl-spacing:1rem;box-sizing:border-box;
font-family:var(--cl-font);font-size:var(--cl-font-size);color:var(--cl-text);line-height:1.4;max-width:100%;
text-align:start}
:where(.cl-rootBox.cl-theme-dark){--cl-primary:#e8e8ee;--cl-on-primary:#18181d;--cl-danger:#ff938a;
--cl-success:#75e0a7;--cl-text:#f4f4f6;--cl-text-secondary:#b6b6c2;--cl-bg:#212126;--cl-input-bg:#2c2c33;
--cl-input-text:#f4f4f6;--cl-neutral:#5b5b66}
:where(.cl-rootBox) *,:where(.cl-rootBox) *::before,:where(.cl-rootBox) *::after{box-sizing:inherit}
:where(.cl-rootBox) [hidden]{display:none!important}
:where(.cl-rootBox) :focus-visible{outline:2px solid var(--cl-primary);outline-offset:2px}
:where(.cl-srOnly){position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);
white-space:nowrap;border:0}
:where(.cl-cardBox){width:25rem;max-width:100%;background:var(--cl-bg);color:var(--cl-text);
border:1px solid color-mix(in srgb,var(--cl-neutral) 70%,transparent);border-radius:calc(var(--cl-radius) * 1.5);
box-shadow:0 5px 15px rgba(0,0,0,.08),0 15px 35px -5px rgba(25,28,33,.2);overflow:hidden}
:where(.cl-card){padding:calc(var(--cl-spacing) * 2) calc(var(--cl-spacing) * 2.5);display:flex;flex-direction:column;
gap:calc(var(--cl-spacing) * 1.5)}
:where(.cl-header){display:flex;flex-direction:column;gap:.25rem;text-align:center}
h1:where(.cl-headerTitle){margin:0;font-size:1.0625rem;font-weight:700;color:var(--cl-text)}
p:where(.cl-headerSubtitle){margin:0;font-size:.8125rem;color:var(--cl-text-secondary);overflow-wrap:anywhere}
:where(.cl-main){display:flex;flex-direction:column;gap:var(--cl-spacing)}
form:where(.cl-form){display:flex;flex-direction:column;gap:var(--cl-spacing);margin:0}
:where(.cl-formField){display:flex;flex-direction:column;gap:.375rem}
:where(.cl-formFieldLabelRow){display:flex;justify-content:space-between;align-items:baseline;gap:.5rem;
flex-wrap:wrap}
label:where(.cl-formFieldLabel){margin:0;display:inline;font-size:.8125rem;font-weight:500;color:var(--cl-text)}
:where(.cl-formFieldHintText){font-size:.75rem;color:var(--cl-text-secondary)}
input:where(.cl-formFieldInput){width:100%;font:inherit;font-size:.875rem;padding:.5rem .75rem;min-height:2.375rem;
color:var(--cl-input-text);background:var(--cl-input-bg);border:1px solid var(--cl-neutral);
border-radius:var(--cl-radius)}
:where(.cl-formFieldInput)[aria-invalid=true]{border-color:var(--cl-danger)}
:where(.cl-otpCodeFieldInput){letter-spacing:.35em;font-variant-numeric:tabular-nums;text-align:center;
font-size:1.125rem}
p:where(.cl-formFieldErrorText){margin:0;font-size:.8125rem;color:var(--cl-danger)}
label:where(.cl-formFieldCheckbox){margin:0;display:flex;gap:.5rem;align-items:flex-start;font-size:.8125rem;
color:var(--cl-text)}
:where(.cl-formFieldCheckbox) input{margin:.15rem 0 0;accent-color:var(--cl-primary)}
button:where(.cl-button),a:where(.cl-button){text-decoration:none;margin:0;overflow-wrap:anywhere;min-width:0;
font:inherit;
font-family:var(--cl-font-buttons);font-size:.8125rem;font-weight:500;cursor:pointer;width:100%;min-height:2.375rem;
padding:.5rem .75rem;border-radius:var(--cl-radius);display:inline-flex;align-items:center;justify-content:center;
gap:.5rem;border:1px solid var(--cl-neutral);background:var(--cl-bg);color:var(--cl-text)}
button:where(.cl-button):hover{background:color-mix(in srgb,var(--cl-neutral) 22%,var(--cl-bg))}
button:where(.cl-formButtonPrimary){background:var(--cl-primary);color:var(--cl-on-primary);
border-color:var(--cl-primary)}
button:where(.cl-formButtonPrimary):hover{background:color-mix(in srgb,var(--cl-primary) 86%,var(--cl-bg))}
button:where(.cl-button)[aria-busy=true]{opacity:.75;cursor:progress}
:where(.cl-buttonDanger){color:var(--cl-danger);border-color:var(--cl-danger)}
button:where(.cl-link),a:where(.cl-link){margin:0;min-height:0;background:none;border:0;padding:0;font:inherit;
font-size:.8125rem;font-weight:500;color:var(--cl-primary);cursor:pointer;text-decoration:underline;
text-underline-offset:2px;text-align:inherit}
:where(.cl-backLink),:where(.cl-alternativeMethodsLink),:where(.cl-formResendCodeLink){align-self:center}
:where(.cl-socialButtonsRoot),:where(.cl-alternativeMethods){display:grid;gap:.5rem}
:where(.cl-socialButtons){display:grid;gap:.5rem;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr)}
span:where(.cl-socialButtonsBlockButtonText){min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
:where(.cl-socialButtonsProviderIcon){display:inline-grid;place-items:center;width:1.25rem;height:1.25rem;
border-radius:50%;background:var(--cl-primary);color:var(--cl-on-primary);font-size:.6875rem;font-weight:700;
flex:none}
:where(.cl-dividerRow){display:flex;align-items:center;gap:1rem}
:where(.cl-dividerLine){flex:1;height:1px;background:var(--cl-neutral)}
p:where(.cl-dividerText){margin:0;font-size:.8125rem;color:var(--cl-text-secondary)}
:where(.cl-alert){margin:0;padding:.75rem;border-radius:var(--cl-radius);border:1px solid var(--cl-danger);
font-size:.8125rem;color:var(--cl-danger);background:color-mix(in srgb,var(--cl-danger) 7%,var(--cl-bg))}
:where(.cl-alert)[data-kind=success]{border-color:var(--cl-success);color:var(--cl-success);
background:color-mix(in srgb,var(--cl-success) 7%,var(--cl-bg))}
p:where(.cl-text){margin:0;font-size:.8125rem;color:var(--cl-text)}
p:where(.cl-textSecondary){margin:0;font-size:.8125rem;color:var(--cl-text-secondary)}
:where(.cl-identityPreview){display:flex;justify-content:center;align-items:center;gap:.5rem;flex-wrap:wrap;
font-size:.8125rem}
:where(.cl-identityPreviewText){overflow-wrap:anywhere;color:var(--cl-text)}
:where(.cl-footer){padding:1rem 2.5rem;border-top:1px solid color-mix(in srgb,var(--cl-neutral) 70%,transparent);
text-align:center;font-size:.8125rem;color:var(--cl-text-secondary);
background:color-mix(in srgb,var(--cl-neutral) 10%,var(--cl-bg))}
:where(.cl-footerAction){margin:0;display:flex;gap:.25rem;justify-content:center;flex-wrap:wrap}
:where(.cl-avatarBox){width:2rem;height:2rem;border-radius:50%;overflow:hidden;display:inline-grid;place-items:center;
flex:none;background:var(--cl-primary);color:var(--cl-on-primary);font-weight:600;font-size:.8125rem}
:where(.cl-avatarBox)[data-initials]::before{content:attr(data-initials)}
:where(.cl-avatarImage){width:100%;height:100%;object-fit:cover;display:block}
:where(.cl-userButtonBox){position:relative;display:inline-flex;align-items:center;vertical-align:middle}
button:where(.cl-userButtonTrigger){margin:0;min-height:0;display:inline-flex;align-items:center;gap:.5rem;
background:none;border:0;padding:2px;border-radius:999px;cursor:pointer;color:var(--cl-text);font:inherit;
font-size:.875rem}
:where(.cl-userButtonPopoverCard){position:absolute;right:0;top:calc(100% + .5rem);z-index:1000;width:22rem;
max-width:calc(100vw - 1rem);background:var(--cl-bg);color:var(--cl-text);
border:1px solid color-mix(in srgb,var(--cl-neutral) 70%,transparent);border-radius:calc(var(--cl-radius) * 1.5);
box-shadow:0 5px 15px rgba(0,0,0,.08),0 15px 35px -5px rgba(25,28,33,.2);overflow:hidden}
:where(.cl-userButtonPopoverCard__start){right:auto;left:0}
:where(.cl-userPreview){display:flex;gap:.75rem;align-items:center;padding:1rem 1.25rem;min-width:0}
:where(.cl-userPreviewTextContainer){display:flex;flex-direction:column;min-width:0}
:where(.cl-userPreviewMainIdentifier){font-weight:600;font-size:.875rem;overflow-wrap:anywhere}
:where(.cl-userPreviewSecondaryIdentifier){font-size:.8125rem;color:var(--cl-text-secondary);overflow-wrap:anywhere}
:where(.cl-userButtonPopoverActions){display:flex;flex-direction:column;
border-top:1px solid color-mix(in srgb,var(--cl-neutral) 70%,transparent)}
button:where(.cl-userButtonPopoverActionButton){justify-content:flex-start;border:0;border-radius:0;
padding:.75rem 1.25rem;font-size:.8125rem;background:var(--cl-bg)}
dialog:where(.cl-modalDialog){padding:0;border:0;background:transparent;max-width:calc(100vw - 1rem);
max-height:calc(100vh - 1rem);overflow:auto;color:var(--cl-text)}
dialog:where(.cl-modalDialog)::backdrop{background:rgba(0,0,0,.55)}
:where(.cl-modalContent){position:relative}
button:where(.cl-modalCloseButton){margin:0;min-height:0;padding:0;position:absolute;top:.5rem;right:.5rem;z-index:1;
width:2rem;height:2rem;border:0;border-radius:var(--cl-radius);background:transparent;color:var(--cl-text-secondary);
cursor:pointer;font:inherit;font-size:1.25rem;line-height:1}
button:where(.cl-modalCloseButton):hover{background:color-mix(in srgb,var(--cl-neutral) 25%,var(--cl-bg))}
:where(.cl-userProfile,.cl-organizationProfile) :where(.cl-cardBox){width:52rem;display:flex;min-height:28rem}
:where(.cl-navbar){flex:none;width:12rem;padding:1.5rem 1rem;display:flex;flex-direction:column;gap:.25rem;
background:color-mix(in srgb,var(--cl-neutral) 10%,var(--cl-bg));
border-right:1px solid color-mix(in srgb,var(--cl-neutral) 70%,transparent)}
h1:where(.cl-navbarTitle){margin:0 0 .75rem;font-size:1.0625rem;font-weight:700}
button:where(.cl-navbarButton){justify-content:flex-start;border:0;background:transparent}
button:where(.cl-navbarButton,.cl-paginationButton)[aria-current=page]{font-weight:600;
background:color-mix(in srgb,var(--cl-neutral) 30%,var(--cl-bg))}
:where(.cl-scrollBox){flex:1;min-width:0;padding:1.5rem 2rem;display:flex;flex-direction:column;gap:1.25rem}
h2:where(.cl-pageTitle){margin:0;font-size:1.0625rem;font-weight:700}
:where(.cl-profileSection){display:grid;grid-template-columns:12rem 1fr;gap:1rem;padding:1rem 0;
border-top:1px solid color-mix(in srgb,var(--cl-neutral) 70%,transparent)}
h3:where(.cl-profileSectionTitle){margin:0;font-size:.8125rem;font-weight:600}
:where(.cl-profileSectionContent){display:flex;flex-direction:column;gap:.75rem;min-width:0}
:where(.cl-profileSectionItem){display:flex;align-items:center;justify-content:space-between;gap:.5rem;flex-wrap:wrap;
font-size:.8125rem;overflow-wrap:anywhere}
:where(.cl-profileSectionItemActions){display:flex;gap:.75rem;flex-wrap:wrap}
:where(.cl-profileSection) button:where(.cl-button){width:auto}
:where(.cl-profileSection) form button:where(.cl-button){width:100%}
:where(.cl-formButtonRow){display:flex;gap:.5rem;justify-content:flex-end}
div:where(.cl-formButtonRow) button:where(.cl-button){width:auto}
:where(.cl-totpSetup){display:flex;flex-direction:column;gap:.5rem}
h4:where(.cl-pageSubtitle){margin:0;font-size:.9375rem;font-weight:600}
:where(.cl-totpSecret),:where(.cl-totpUri),:where(.cl-backupCodes){overflow-wrap:anywhere;word-break:break-all;
font-family:ui-monospace,monospace;font-size:.8125rem}
:where(.cl-badge){display:inline-block;margin-inline-start:.5rem;padding:0 .375rem;border-radius:999px;
font-size:.6875rem;font-weight:500;border:1px solid var(--cl-neutral);color:var(--cl-text-secondary)}
select:where(.cl-selectInput){width:auto;max-width:100%;font:inherit;font-size:.8125rem;padding:.375rem .5rem;
color:var(--cl-input-text);background:var(--cl-input-bg);border:1px solid var(--cl-neutral);
border-radius:var(--cl-radius)}
:where(.cl-orgAvatar){border-radius:var(--cl-radius)}
:where(.cl-organizationPreview){display:inline-flex;align-items:center;gap:.75rem;min-width:0;text-align:start}
:where(.cl-organizationPreviewMainIdentifier){font-weight:600;font-size:.875rem;min-width:0;overflow-wrap:anywhere}
button:where(.cl-organizationSwitcherTrigger){margin:0;display:inline-flex;align-items:center;gap:.5rem;font:inherit;
background:none;border:1px solid transparent;border-radius:var(--cl-radius);padding:.25rem .5rem;cursor:pointer;
color:var(--cl-text)}
:where(.cl-organizationSwitcherPopoverHeader){justify-content:space-between}
button:where(.cl-orgManage){width:auto;flex:none}
ul:where(.cl-organizationListPreviewItems){list-style:none;margin:0;padding:0;display:flex;flex-direction:column;
gap:.5rem}
:where(.cl-organizationListPreviewItem){display:flex;align-items:center;justify-content:space-between;gap:.5rem}
button:where(.cl-organizationListPreviewButton){justify-content:flex-start}
button:where(.cl-organizationListPreviewButton)[aria-current=true]{border-color:var(--cl-primary)}
button:where(.cl-organizationListPreviewItemActionButton){width:auto}
@media (max-width:480px){
:where(.cl-card){padding:1.5rem 1rem}
:where(.cl-footer){padding:1rem}
:where(.cl-userButtonPopoverCard){position:fixed;left:.5rem;right:.5rem;top:auto;bottom:.5rem;width:auto}
:where(.cl-userProfile,.cl-organizationProfile) :where(.cl-cardBox){flex-direction:column}
:where(.cl-navbar){width:auto;flex-direction:row;flex-wrap:wrap;border-right:0;
border-bottom:1px solid color-mix(in srgb,var(--cl-neutral) 70%,transparent);padding:1rem}
h1:where(.cl-navbarTitle){width:100%;margin:0}
button:where(.cl-navbarButton){width:auto}
:where(.cl-scrollBox){padding:1rem}
:where(.cl-profileSection){grid-template-columns:1fr}
:where(.cl-socialButtons:has(>.cl-socialButtonsBlockButton+.cl-socialButtonsBlockButton)){grid-auto-flow:row}
}
"""


def split_rules(css: str) -> list[str]:
    """The top-level rules of ``css`` (an ``@media`` block is one rule), for ``CSSStyleSheet.insertRule``."""
    rules: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append(css[start:index + 1].strip())
                start = index + 1
    return rules
