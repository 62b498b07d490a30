//! Distances on the globe.

use ::geo::{Distance, Haversine, Point};

/// Great-circle distance in km, on a sphere of the Earth's mean radius (6,371.0088 km), by
/// `geo`'s haversine.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let m = Haversine.distance(Point::new(lon1, lat1), Point::new(lon2, lat2));
    // Rounding can push the haversine past 1 for nearly antipodal points, where `asin` gives NaN:
    // those are half the globe apart.
    if m.is_nan() {
        std::f64::consts::PI * Haversine.radius() / 1000.0
    } else {
        m / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::distance_km;

    #[test]
    fn kyiv_to_kharkiv_is_about_410_km() {
        let km = distance_km(50.4501, 30.5234, 49.9935, 36.2304);
        assert!((405.0..415.0).contains(&km), "{km}");
        assert_eq!(distance_km(48.0, 37.0, 48.0, 37.0), 0.0);
        // Nearly antipodal points are half the globe apart, never NaN.
        for k in 0..2000 {
            let lat = -60.0 + f64::from(k) * 0.06;
            let lon = -179.0 + f64::from(k) * 0.17;
            let km = distance_km(lat, lon, -lat, lon + 180.0);
            assert!((20_000.0..20_040.0).contains(&km), "{lat},{lon}: {km}");
        }
    }
}
