//! Distances on the globe.

use ::geo::{Distance, Haversine, Point};

/// Great-circle distance in km, on a sphere of the Earth's mean radius (6,371.0088 km), by
/// `geo`'s haversine.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    Haversine.distance(Point::new(lon1, lat1), Point::new(lon2, lat2)) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::distance_km;

    #[test]
    fn kyiv_to_kharkiv_is_about_410_km() {
        let km = distance_km(50.4501, 30.5234, 49.9935, 36.2304);
        assert!((405.0..415.0).contains(&km), "{km}");
        assert_eq!(distance_km(48.0, 37.0, 48.0, 37.0), 0.0);
    }
}
