//! One self-contained HTML page that shows events (or places) on a map, offline: Leaflet, its
//! stylesheet, the world's country outlines and the data are all inside the page, and a
//! Content-Security-Policy forbids the page to fetch anything. See `docs/html-map.md`.
//!
//! Data goes in as JSON inside `<script type="application/json">` blocks, with `<`, `>`, `&`,
//! U+2028 and U+2029 written as `\u` escapes (see [`script_json`]), so no text of a document can
//! end the block or start markup; the page's script puts every value on screen as text, never as
//! markup.

use serde_json::{json, Value};

/// Leaflet 1.9.4 (`assets/README.md`), unchanged.
const LEAFLET_JS: &str = include_str!("../../assets/leaflet/leaflet.js");
/// Leaflet's stylesheet, unchanged; its `url(...)` images are taken out as the page is made.
const LEAFLET_CSS: &str = include_str!("../../assets/leaflet/leaflet.css");
/// Natural Earth's 1:110m countries as TopoJSON (world-atlas 2.0.2), unchanged.
const WORLD: &str = include_str!("../../assets/world-atlas/countries-110m.json");
/// The page's own script and style.
const PAGE_JS: &str = include_str!("page.js");
const PAGE_CSS: &str = include_str!("page.css");

/// What the page may load: nothing from anywhere. Its scripts and styles are inline, its only
/// image is the empty `data:` favicon (which keeps a browser from asking for `/favicon.ico`).
const CSP: &str =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/// What the live page `geoevents serve` gives may load: as [`CSP`], and requests to the server
/// that gave it (its `/map` and `/places`), nothing else.
pub const LIVE_CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; \
    style-src 'unsafe-inline'; img-src data:; connect-src 'self'";

/// The bar above a page of events: how many are drawn, the date range, the undated.
const EVENTS_BAR: &str = r#"<span class="count"><b id="event-count">0</b> of <span id="event-total">0</span> events drawn</span>
<span id="dates">
<label>from <input type="range" id="date-from" aria-label="first date"> <output id="date-from-text"></output></label>
<label>to <input type="range" id="date-to" aria-label="last date"> <output id="date-to-text"></output></label>
</span>
<label id="undated" hidden title="Events with no date have no place on the date range: shown whatever the range unless this is unticked"><input type="checkbox" id="show-undated" checked> <span id="undated-count">0</span> undated, shown whatever the range</label>
<span id="skipped" hidden></span>"#;

/// A page of events: `features` are GeoJSON Features as [`super::feature`] makes them, drawn as
/// circles coloured by `event_type` as the QGIS style colours them, with a legend, a popup per
/// point and a date range.
pub fn events_page(features: &[Value], title: &str) -> String {
    let config = events_config();
    page(&config, features, title, EVENTS_BAR, CSP, "")
}

/// The page `geoevents serve` gives at `/`: a report pasted, dropped or chosen as a file is sent
/// to the server's `/map` and `/places`, and its events and places drawn as on the pages above;
/// an event's popup shows its mention in the document's text. It asks nothing of anyone but the
/// server that gave it (`LIVE_CSP`).
pub fn live_page() -> String {
    let mut config = events_config();
    config["kind"] = json!("live");
    let bar = format!(
        r#"{EVENTS_BAR}
<span class="count" id="place-info" hidden><b id="place-count">0</b> places, named <span id="mention-count">0</span> times</span>"#
    );
    let panel = r#"<aside id="panel">
<form id="report-form">
<label for="report">A report, or JSON Lines (one <code>{"id", "text", "date"}</code> per line)</label>
<textarea id="report" spellcheck="false" placeholder="Paste a report here, or drop a .txt or .jsonl file on the page"></textarea>
<div class="row"><label>Date <input type="date" id="report-date" title="The report's date: what &quot;yesterday&quot; is read against (a dateline or a JSON line's date comes first)"></label>
<label>Countries <input id="report-country" size="6" placeholder="UA" title="ISO codes the report is about, comma-separated: preferred among a name's readings"></label></div>
<div class="row"><input type="file" id="report-file" accept=".txt,.md,.jsonl,.ndjson,text/plain"></div>
<div class="row"><button type="submit" id="map-it">Map it</button> <span class="hint">Ctrl+Enter</span>
<label><input type="checkbox" id="show-places" checked> every place named</label></div>
</form>
<p id="status" role="status"></p>
<div id="problems" role="alert" hidden></div>
<h2 id="doc-title" hidden></h2>
<pre id="doc-text" hidden></pre>
</aside>"#;
    page(&config, &[], "geoevents", &bar, LIVE_CSP, panel)
}

fn events_config() -> Value {
    let types: Vec<Value> = super::type_colours()
        .map(|(name, rgb)| json!({"name": name, "colour": format!("rgb({rgb})")}))
        .collect();
    json!({
        "kind": "events",
        "types": types,
        "outline": format!("rgb({})", super::OUTLINE),
    })
}

/// A page of places: `features` are GeoJSON Features as `geoevents places --format geojson`
/// writes them (flat properties `id` (the document's), `mention`, `geonameid`, `name`,
/// `feature_class`, `feature_code`, `country_code`, `country`, `admin1`, `score`, ...). One point
/// per GeoNames place, sized by its mentions, coloured by feature class; its popup lists them.
pub fn places_page(features: &[Value], title: &str) -> String {
    let config = json!({"kind": "places", "outline": format!("rgb({})", super::OUTLINE)});
    let bar = r#"<span class="count"><b id="place-count">0</b> places drawn, named <span id="mention-count">0</span> times</span>
<span id="skipped" hidden></span>"#;
    page(&config, features, title, bar, CSP, "")
}

/// A page: `bar` above the map, `panel` (markup) beside it, `csp` what it may load.
fn page(
    config: &Value,
    features: &[Value],
    title: &str,
    bar: &str,
    csp: &str,
    panel: &str,
) -> String {
    let title = html_text(title);
    let config = script_json(&config.to_string());
    // Serialising a Value cannot fail (its keys are strings).
    let data = script_json(&serde_json::to_string(features).unwrap_or_else(|_| "[]".into()));
    let world = script_json(WORLD.trim_end());
    let css = without_css_urls(LEAFLET_CSS);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="geoevents {version}">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>
{css}</style>
<style>
{PAGE_CSS}</style>
</head>
<body>
<header id="bar">
<h1>{title}</h1>
{bar}
</header>
<div id="page-errors" role="alert" hidden></div>
<noscript><p>This page needs JavaScript to draw its map.</p></noscript>
<div id="body">{panel}<main id="map"></main></div>
<script type="application/json" id="page-config">{config}</script>
<script type="application/json" id="page-data">{data}</script>
<script type="application/json" id="world-data">{world}</script>
<script>
{leaflet}</script>
<script>
{PAGE_JS}</script>
</body>
</html>
"#,
        version = env!("CARGO_PKG_VERSION"),
        leaflet = without_source_map(LEAFLET_JS),
    )
}

/// JSON text made safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`, `\u003e`
/// and `\u0026`, so no `</script>` or `<!--` can appear; U+2028 and U+2029 become `\u2028` and
/// `\u2029`, which older JavaScript parsers took for line ends. In valid JSON these characters
/// occur only inside strings, where the escapes read back as the same characters.
pub fn script_json(json: &str) -> String {
    replace_chars(json, |c| match c {
        '<' => Some("\\u003c"),
        '>' => Some("\\u003e"),
        '&' => Some("\\u0026"),
        '\u{2028}' => Some("\\u2028"),
        '\u{2029}' => Some("\\u2029"),
        _ => None,
    })
}

/// Text for HTML element content or a quoted attribute.
fn html_text(s: &str) -> String {
    replace_chars(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    })
}

/// `s` with each character that `with` names written as it says.
fn replace_chars(s: &str, with: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for c in s.chars() {
        match with(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// The script without its `//# sourceMappingURL=` comment, which a browser's developer tools
/// would fetch.
fn without_source_map(js: &str) -> String {
    js.lines()
        .filter(|l| !l.trim_start().starts_with("//# sourceMappingURL="))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stylesheet with every `url(...)` written as `none`: Leaflet's marker and layer-switcher
/// images, which the page never shows and must never ask for.
fn without_css_urls(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        out.push_str(&rest[..at]);
        match rest[at..].find(')') {
            Some(end) => {
                out.push_str("none");
                rest = &rest[at + end + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(notes: &str) -> Value {
        json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [37.999, 48.5956]},
            "properties": {"event_date": "2023-02-13", "event_type": "Battles", "notes": notes},
        })
    }

    /// The text of the `<script type="application/json">` block with this id.
    fn block<'a>(page: &'a str, id: &str) -> &'a str {
        let open = format!("<script type=\"application/json\" id=\"{id}\">");
        let start = page.find(&open).expect("the block") + open.len();
        let len = page[start..].find("</script>").expect("its end");
        &page[start..start + len]
    }

    #[test]
    fn a_hostile_note_cannot_end_the_data_block() {
        let hostile = "</script><script>alert(1)</script><!-- & \u{2028}\u{2029} \"quoted\"";
        let page = events_page(&[event(hostile)], "<b>Title</b> & co");
        assert!(!page.contains("alert(1)</script>"));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("<title>&lt;b&gt;Title&lt;/b&gt; &amp; co</title>"));
        let data = block(&page, "page-data");
        assert!(!data.contains(['<', '>', '&', '\u{2028}', '\u{2029}']));
        // The escapes read back as the note itself.
        let back: Value = serde_json::from_str(data).unwrap();
        assert_eq!(back[0]["properties"]["notes"], hostile);
        // Five scripts: three data blocks, Leaflet and the page's; nothing else opens one.
        assert_eq!(page.matches("<script").count(), 5);
    }

    #[test]
    fn script_json_escapes_only_what_it_must() {
        assert_eq!(
            script_json(r#"{"a":"<x> & y"}"#),
            r#"{"a":"\u003cx\u003e \u0026 y"}"#
        );
        assert_eq!(script_json("\"\u{2028}\""), "\"\\u2028\"");
        assert_eq!(script_json("[1,\"é\"]"), "[1,\"é\"]");
    }

    #[test]
    fn every_feature_is_embedded() {
        let features: Vec<Value> = (0..7).map(|i| event(&format!("note {i}"))).collect();
        let page = events_page(&features, "t");
        let data: Vec<Value> = serde_json::from_str(block(&page, "page-data")).unwrap();
        assert_eq!(data, features);
        let none = events_page(&[], "t");
        assert_eq!(block(&none, "page-data"), "[]");
        let places = places_page(&features[..2], "t");
        let data: Vec<Value> = serde_json::from_str(block(&places, "page-data")).unwrap();
        assert_eq!(data.len(), 2);
        assert!(places.contains("id=\"place-count\""));
        assert!(page.contains("id=\"event-count\""));
    }

    #[test]
    fn the_page_colours_event_types_as_the_qgis_style_does() {
        let page = events_page(&[], "t");
        let config: Value = serde_json::from_str(block(&page, "page-config")).unwrap();
        let qml = super::super::qml();
        let types = config["types"].as_array().unwrap();
        assert_eq!(types.len(), 6);
        for (i, t) in types.iter().enumerate() {
            let name = t["name"].as_str().unwrap();
            let rgb = t["colour"].as_str().unwrap();
            let rgb = rgb.strip_prefix("rgb(").unwrap().strip_suffix(')').unwrap();
            assert!(qml.contains(&format!("value=\"{name}\"")), "{name}");
            assert!(
                qml.contains(&format!("name=\"{i}\"")) && qml.contains(&format!("\"{rgb},255\"")),
                "{name}: {rgb}"
            );
        }
    }

    /// Every reference the browser could follow on its own: `src=`, `href=`, `srcset=`,
    /// `url(`, `@import`, with the value after it.
    fn references(page: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let lower = page.to_ascii_lowercase();
        for key in [
            "src=", "href=", "srcset=", "url(", "@import", "action=", "poster=",
        ] {
            for (at, _) in lower.match_indices(key) {
                let value: String = page[at + key.len()..]
                    .trim_start_matches([' ', '"', '\'', '\\'])
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | ')' | ' ' | '>' | '\\'))
                    .collect();
                out.push((key.to_string(), value));
            }
        }
        out
    }

    #[test]
    fn the_page_fetches_nothing_by_url() {
        let page = events_page(&[event("see http://example.com/x.png")], "t");
        let fetched: Vec<(String, String)> = references(&page)
            .into_iter()
            .filter(|(_, v)| {
                let v = v.to_ascii_lowercase();
                v.starts_with("http:")
                    || v.starts_with("https:")
                    || v.starts_with("//")
                    || v.starts_with("ftp:")
                    || v.starts_with("file:")
                    || v.starts_with("images/")
            })
            .collect();
        // The one in Leaflet is the link of its default attribution, which the page replaces with
        // a plain-text one (`prefix: false`).
        assert_eq!(
            fetched,
            [("href=".to_string(), "https://leafletjs.com".to_string())],
            "{fetched:?}"
        );
        assert!(PAGE_JS.contains("prefix: false"));
        // The stylesheets point at nothing; the only `url(` left is the one in Leaflet's
        // script, old Internet Explorer's VML behaviour, which no other browser reads.
        assert!(!without_css_urls(LEAFLET_CSS).contains("url("));
        assert!(!PAGE_CSS.contains("url("));
        assert_eq!(page.matches("url(").count(), 1);
        assert!(page.contains("url(#default#VML)"));
        // The policy forbids any fetch the check above could miss.
        assert!(page.contains(&format!("content=\"{CSP}\"")));
        assert!(!without_source_map(LEAFLET_JS).contains("sourceMappingURL"));
    }

    #[test]
    fn the_pages_script_never_writes_markup_or_runs_text() {
        for risky in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "Function(",
            "setTimeout(",
        ] {
            assert!(!PAGE_JS.contains(risky), "{risky}");
        }
    }

    #[test]
    fn css_urls_become_none() {
        assert_eq!(
            without_css_urls("a{background:url(images/x.png) no-repeat}b{c:url(y"),
            "a{background:none no-repeat}b{c:"
        );
    }
}
