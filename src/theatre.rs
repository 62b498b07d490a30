//! What a run knows beyond one document: the user's hints (`--country`, `--near`, a document's
//! own `country`) and the theatre, the picture of where a batch's events are drawn from the places
//! its documents name without doubt. Both are priors, never filters: they weigh between readings
//! of one name ("Stepove, Donetsk" is the Stepove on the front line, not the one 100 km behind
//! it), and a name that only reads far from them still resolves there.
//!
//! The theatre is drawn in a first pass over a bounded sample, the first `SAMPLE_DOCS` documents
//! or `SAMPLE_BYTES` of text, whichever comes first (`run::each_document` holds the sample,
//! then reads on). A fixed sample keeps the run deterministic whatever `--threads` (a picture
//! growing chunk by chunk would depend on nothing else, but would treat a batch's first
//! documents differently from its last) and memory bounded whatever the input's size.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::gazetteer::Place;
use crate::lookup::distance_km;

/// Documents in the sample that draws the theatre.
pub const SAMPLE_DOCS: usize = 1024;
/// Text in that sample, in bytes.
pub const SAMPLE_BYTES: usize = 4 << 20;
/// Fewer sure sites than this draw no theatre: one report's own places are its document
/// picture's business, not the run's.
pub const MIN_SITES: usize = 20;
/// The radius, in km, within which a batch's sure sites count as a reading's neighbours.
const RADIUS_KM: f64 = 25.0;
/// Grid cells of this many degrees hold the sites.
const CELL_DEG: f64 = 0.5;

/// The places a run's sure sites are drawn from, on a grid.
#[derive(Debug, Clone, Default)]
pub struct Theatre {
    cells: FxHashMap<(i32, i32), Vec<(f32, f32)>>,
    sites: usize,
}

/// Columns of cells around the globe.
const COLUMNS: i32 = (360.0 / CELL_DEG) as i32;

/// A column on the globe: the one east of 180° is the first west of it.
fn wrap(col: i32) -> i32 {
    col.rem_euclid(COLUMNS)
}

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    (
        (lat / CELL_DEG).floor() as i32,
        wrap((lon / CELL_DEG).floor() as i32),
    )
}

impl Theatre {
    /// The theatre of these points (latitude, longitude in degrees); `None` when there are too
    /// few to say anything.
    pub fn of(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Theatre> {
        let mut t = Theatre::default();
        for (lat, lon) in points {
            if !(lat.is_finite() && lon.is_finite()) {
                continue;
            }
            t.cells
                .entry(cell(lat, lon))
                .or_default()
                .push((lat as f32, lon as f32));
            t.sites += 1;
        }
        (t.sites >= MIN_SITES).then_some(t)
    }

    /// How many sure sites drew it.
    pub fn sites(&self) -> usize {
        self.sites
    }

    /// The share (0–1) of the theatre's sites within `RADIUS_KM` of the point.
    pub fn share_near(&self, lat: f64, lon: f64) -> f64 {
        if self.sites == 0 {
            return 0.0;
        }
        let (row, col) = cell(lat, lon);
        let rows = (RADIUS_KM / 110.0 / CELL_DEG).ceil() as i32;
        // A degree of longitude shrinks towards the poles; near them, look at every column.
        let km_per_lon_deg = 111.3 * lat.to_radians().cos();
        let cols = if km_per_lon_deg < 5.0 {
            COLUMNS
        } else {
            (RADIUS_KM / km_per_lon_deg / CELL_DEG).ceil() as i32
        };
        let columns: Vec<i32> = if 2 * cols + 1 >= COLUMNS {
            (0..COLUMNS).collect()
        } else {
            (col - cols..=col + cols).map(wrap).collect()
        };
        let mut near = 0usize;
        for r in row - rows..=row + rows {
            for &c in &columns {
                let Some(points) = self.cells.get(&(r, c)) else {
                    continue;
                };
                near += points
                    .iter()
                    .filter(|&&(a, b)| distance_km(lat, lon, a as f64, b as f64) <= RADIUS_KM)
                    .count();
            }
        }
        near as f64 / self.sites as f64
    }
}

/// A point the user says the documents are about, and how far around it, in km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub lat: f64,
    pub lon: f64,
    pub km: f64,
}

/// The km `--near LAT,LON` means without a radius.
pub const DEFAULT_NEAR_KM: f64 = 100.0;

impl Near {
    /// `LAT,LON` or `LAT,LON,KM` (degrees; KM defaults to `DEFAULT_NEAR_KM`), checked: the error
    /// says what is wrong with it.
    pub fn parse(s: &str) -> Result<Near, String> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let num = |p: &str, what: &str| {
            p.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{p}` is not a {what}"))
        };
        if !(2..=3).contains(&parts.len()) {
            return Err(format!(
                "`{s}` is not LAT,LON or LAT,LON,KM (degrees, e.g. 48.59,38.0,50)"
            ));
        }
        let lat = num(parts[0], "latitude")?;
        let lon = num(parts[1], "longitude")?;
        let km = match parts.get(2) {
            Some(k) => num(k, "distance in km")?,
            None => DEFAULT_NEAR_KM,
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) || km <= 0.0 {
            return Err(format!(
                "`{s}`: latitude must lie in -90..90, longitude in -180..180, and km above 0"
            ));
        }
        Ok(Near { lat, lon, km })
    }
}

/// Everything a run knows before it reads a document's words.
#[derive(Debug, Clone, Default)]
pub struct Prior {
    /// ISO 3166 alpha-2 codes (upper case) the documents are about (`--country`, a document's
    /// own `country`).
    pub countries: Vec<String>,
    /// `--near LAT,LON[,KM]`.
    pub near: Option<Near>,
    /// The batch's picture, when it has one.
    pub theatre: Option<Arc<Theatre>>,
}

/// What a hinted country gives a reading in it.
const COUNTRY_WEIGHT: f64 = 0.15;
/// What `--near` gives a reading within its radius (less, by distance, beyond it).
const NEAR_WEIGHT: f64 = 0.15;
/// The most the theatre moves a namesake town against the name's best town, up or down.
const THEATRE_WEIGHT: f64 = 0.4;
/// The share of the batch's sites within `RADIUS_KM` that counts as the thick of the theatre.
const THEATRE_FULL: f64 = 0.02;

impl Prior {
    /// Nothing known: every reading weighs the same.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.near.is_none() && self.theatre.is_none()
    }

    /// What the prior adds to each of one name's readings, best first (-0.4 to 0.7):
    /// the hints to each on its own, and the theatre between the namesake towns of one region.
    ///
    /// The theatre compares the towns of the name that lie in the first-order division of its
    /// best town ("Stepove, Donetsk"; eleven Novoselivkas in Donetsk oblast) by how many of the
    /// batch's sure sites lie around each: a town with more of them than the best gains, one
    /// with fewer loses, in proportion, and only so far as the busiest lies in the thick of the
    /// theatre. The best town itself, and every other reading, are left as they are: which
    /// region or country a story is about, and whether a name is a town at all, is for the
    /// story's own words to say (a batch of local news from across a country says nothing of
    /// where the next story is).
    pub fn weights<'a>(&self, places: impl Iterator<Item = &'a Place>) -> Vec<f64> {
        let places: Vec<&Place> = places.collect();
        let mut w: Vec<f64> = places.iter().map(|p| self.hint(p)).collect();
        let Some(t) = &self.theatre else { return w };
        let town = |p: &Place| p.feature_class == "P";
        let Some(best) = places.iter().find(|p| town(p)) else {
            return w;
        };
        let region = (&best.country_code, &best.admin1_code);
        let namesakes: Vec<usize> = (0..places.len())
            .filter(|&i| {
                town(places[i]) && (&places[i].country_code, &places[i].admin1_code) == region
            })
            .collect();
        if namesakes.len() < 2 {
            return w;
        }
        let shares: Vec<f64> = namesakes
            .iter()
            .map(|&i| t.share_near(places[i].latitude, places[i].longitude))
            .collect();
        let most = shares.iter().copied().fold(0.0, f64::max);
        if most > 0.0 {
            let thick = (most / THEATRE_FULL).min(1.0);
            for (&i, s) in namesakes.iter().zip(&shares) {
                w[i] += THEATRE_WEIGHT * thick * (s - shares[0]) / most;
            }
        }
        w
    }

    /// What the hints give one reading.
    fn hint(&self, p: &Place) -> f64 {
        let mut w = 0.0;
        if self.countries.contains(&p.country_code) {
            w += COUNTRY_WEIGHT;
        }
        if let Some(n) = self.near {
            let d = distance_km(n.lat, n.lon, p.latitude, p.longitude);
            w += NEAR_WEIGHT * if d <= n.km { 1.0 } else { n.km / d };
        }
        w
    }

    /// This prior with one more country (a document's own), if it is not there already.
    pub fn with_country(&self, code: Option<&str>) -> Prior {
        let mut p = self.clone();
        if let Some(c) = code {
            if !p.countries.iter().any(|x| x == c) {
                p.countries.push(c.to_string());
            }
        }
        p
    }
}

/// The theatre a batch of single-name lookups draws: the places its queries name without doubt
/// (the only settlement of the name, or a town of 50,000 or more), as `places` draws one from
/// documents. `None` when too few are sure.
pub fn of_queries<'a>(
    gaz: &crate::gazetteer::Gazetteer,
    queries: impl IntoIterator<Item = &'a str>,
) -> Option<Theatre> {
    let opts = crate::lookup::LookupOptions {
        limit: 24,
        ..crate::lookup::LookupOptions::default()
    };
    let mut sites = Vec::new();
    for q in queries {
        // A query that fails is answered (and reported) in its turn; here it is only no site.
        let Ok(readings) = crate::lookup::lookup(gaz, q, &opts) else {
            continue;
        };
        if let Some(top) = readings.first() {
            if crate::places::sure(top, &readings) {
                sites.push((top.place.latitude, top.place.longitude));
            }
        }
    }
    Theatre::of(sites)
}

/// Re-orders one query's candidates by the prior: each score gains (or loses) what the prior
/// gives its place, within 0–1, and the best first again (ties keep their order).
pub fn lean(candidates: &mut [crate::lookup::Candidate], prior: &Prior) {
    if prior.is_empty() || candidates.is_empty() {
        return;
    }
    let w = prior.weights(candidates.iter().map(|c| &c.place));
    for (c, w) in candidates.iter_mut().zip(w) {
        c.score = ((c.score + w).clamp(0.0, 1.0) * 1000.0).round() / 1000.0;
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(lat: f64, lon: f64, class: &str, cc: &str) -> Place {
        Place {
            geonameid: 1,
            name: "X".into(),
            latitude: lat,
            longitude: lon,
            feature_class: class.into(),
            feature_code: "PPL".into(),
            country_code: cc.into(),
            country: None,
            admin1_code: String::new(),
            admin1: None,
            admin2_code: String::new(),
            admin2: None,
            admin3_code: String::new(),
            admin3: None,
            population: 0,
        }
    }

    #[test]
    fn too_few_sites_draw_no_theatre() {
        assert!(Theatre::of((0..MIN_SITES - 1).map(|i| (48.0, 37.0 + i as f64 * 0.01))).is_none());
        assert!(Theatre::of((0..MIN_SITES).map(|i| (48.0, 37.0 + i as f64 * 0.01))).is_some());
    }

    #[test]
    fn a_reading_among_the_batch_sites_outweighs_its_namesake_far_behind() {
        // Thirty sites around Bakhmut, ten around Kyiv.
        let sites = (0..30)
            .map(|i| (48.6 + i as f64 * 0.005, 38.0))
            .chain((0..10).map(|i| (50.45, 30.5 + i as f64 * 0.005)));
        let t = Theatre::of(sites).unwrap();
        assert!((t.share_near(48.6, 38.0) - 0.75).abs() < 1e-9);
        assert_eq!(t.share_near(46.0, 30.0), 0.0);
        let prior = Prior {
            theatre: Some(Arc::new(t)),
            ..Prior::default()
        };
        // The name's best town lies far behind; its namesake of the same region among the sites.
        let readings = [
            place(49.6, 34.5, "P", "UA"),
            place(48.7, 38.05, "P", "UA"),
            place(48.7, 38.05, "A", "UA"),
            place(48.7, 38.05, "P", "RU"),
        ];
        let w = prior.weights(readings.iter());
        assert_eq!(w[0], 0.0, "the best town is left as it is");
        assert!(w[1] > 0.2, "{w:?}");
        // A division, and a town of another region or country, are left as they are.
        assert_eq!((w[2], w[3]), (0.0, 0.0));
        // Best first the other way round: the namesake far behind loses.
        let w = prior.weights([readings[1].clone(), readings[0].clone()].iter());
        assert!(w[0] == 0.0 && w[1] < -0.2, "{w:?}");
        // Readings that all lie far from the theatre gain nothing from it.
        let far = [place(40.0, -90.0, "P", "US"), place(35.0, -95.0, "P", "US")];
        assert_eq!(prior.weights(far.iter()), vec![0.0, 0.0]);
    }

    #[test]
    fn sites_near_the_pole_and_the_antimeridian_are_found() {
        let t = Theatre::of((0..MIN_SITES).map(|_| (-16.5, 179.99))).unwrap();
        assert_eq!(t.share_near(-16.5, -179.99), 1.0);
        let t = Theatre::of((0..MIN_SITES).map(|_| (89.9, 10.0))).unwrap();
        assert_eq!(t.share_near(89.9, -170.0), 1.0);
    }

    #[test]
    fn hinted_countries_and_points_weigh_in() {
        let prior = Prior {
            countries: vec!["UA".into()],
            near: Some(Near {
                lat: 48.6,
                lon: 38.0,
                km: 50.0,
            }),
            theatre: None,
        };
        let readings = [
            place(48.6, 38.1, "P", "UA"),
            place(46.0, 30.0, "P", "UA"),
            place(46.0, 30.0, "P", "MD"),
        ];
        let w = prior.weights(readings.iter());
        let (here, far, abroad) = (w[0], w[1], w[2]);
        assert!(here > far && far > abroad && abroad > 0.0);
        assert_eq!(
            prior.with_country(Some("MD")).countries,
            vec!["UA".to_string(), "MD".into()]
        );
    }
}
