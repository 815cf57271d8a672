// @ts-check
// Firefox only: the core's session rules in Firefox's request-type vocabulary. `browserRules`
// lists Chrome's resource types, which both browsers accept; Firefox's declarativeNetRequest
// matches on its own, finer types, so some requests of the bound tab fall outside every rule
// there. The one that broke the demo app: an `<img srcset>` (or `<picture><source>`) request is
// `imageset`, not `image`, so it went out without the token, got a 401, and Firefox's image cache
// then served that 401 to the `<img>` (tests/firefox/demo-app.test.mjs).
//
// Nothing widens where the token goes: each added type is a subtype of one the rule already
// lists, and the rule keeps its tab, server and prefix conditions. In Chromium these types do not
// exist (its schema would refuse the rule), so the rules stay exactly the core's.
import { isFirefox } from "../messages.js";

/**
 * Firefox's types by the Chrome type that covers them in Chromium: `imageset` is an image chosen
 * from `srcset`; `beacon` is `navigator.sendBeacon` (Chromium's `ping`); a web app manifest, a
 * JSON module, XSLT and an XML DTD are Chromium's `other`. Left out: `speculative` (a
 * pre-connection, no request to attach a header to) and `object_subrequest` (unsupported).
 * @type {Record<string, string[]>}
 */
const FIREFOX_SUBTYPES = {
  image: ["imageset"],
  ping: ["beacon"],
  other: ["web_manifest", "json", "xslt", "xml_dtd"],
};


/**
 * The rules as this browser must be given them: unchanged in Chromium; in Firefox each rule also
 * names the Firefox subtypes of the types it lists.
 * @template {{ condition: { resourceTypes?: string[] } }} R
 * @param {R[]} rules
 * @param {boolean} [firefox] whether to translate (default: this browser is Firefox)
 * @returns {R[]}
 */
export function forThisBrowser(rules, firefox = isFirefox) {
  if (!firefox) return rules;
  return rules.map((rule) => {
    const types = rule.condition.resourceTypes;
    if (!types) return rule;
    const extra = types.flatMap((t) => FIREFOX_SUBTYPES[t] ?? []).filter((t) => !types.includes(t));
    return extra.length ? { ...rule, condition: { ...rule.condition, resourceTypes: [...types, ...extra] } } : rule;
  });
}
