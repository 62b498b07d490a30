use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::gazetteer::{BuildOptions, BuildSummary, Gazetteer, GazetteerBuilder, NameKind};
use crate::normalize::name_key;
use crate::{translit, Error};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/geonames")
        .join(name)
}

fn build(sources: &[PathBuf], base: Option<&Path>, out: &Path) -> BuildSummary {
    let mut b = GazetteerBuilder::new(BuildOptions::default());
    for s in sources {
        b.add_source(s).unwrap();
    }
    if let Some(base) = base {
        b.set_base_file(base).unwrap();
    }
    b.build(out).unwrap()
}

fn fixture_base(dir: &Path) -> PathBuf {
    let names = [
        "UA",
        "PL",
        "alternateNamesV2",
        "admin1CodesASCII",
        "admin2Codes",
    ];
    let mut sources: Vec<PathBuf> = names.iter().map(|f| fixture(&format!("{f}.txt"))).collect();
    sources.push(fixture("countryInfo.txt"));
    let out = dir.join("base.gaz");
    build(&sources, None, &out);
    out
}

/// Record index by geonameid.
fn records(g: &Gazetteer) -> HashMap<u32, u32> {
    (0..g.len() as u32)
        .map(|i| (g.raw_record(i).unwrap().geonameid, i))
        .collect()
}

/// The (geonameid, kind) postings of `key`, sorted.
fn postings_by_id(g: &Gazetteer, key: &str) -> Vec<(u32, NameKind)> {
    let mut out: Vec<(u32, NameKind)> = g
        .postings(key)
        .unwrap()
        .into_iter()
        .map(|(r, k)| (g.raw_record(r).unwrap().geonameid, k))
        .collect();
    out.sort();
    out
}

#[test]
fn a_base_alone_is_rebuilt_name_for_name() {
    let dir = tempfile::tempdir().unwrap();
    let base_path = fixture_base(dir.path());
    let out = dir.path().join("layered.gaz");
    // A code table is enough for a build on a base: no main dump is needed.
    build(&[fixture("countryInfo.txt")], Some(&base_path), &out);
    let (base, layered) = (
        Gazetteer::open(&base_path).unwrap(),
        Gazetteer::open(&out).unwrap(),
    );
    let (bm, lm) = (base.meta().unwrap().counts, layered.meta().unwrap().counts);
    assert_eq!(
        (
            bm.places,
            bm.name_keys,
            bm.alternate_names,
            bm.historic_names
        ),
        (
            lm.places,
            lm.name_keys,
            lm.alternate_names,
            lm.historic_names
        )
    );
    assert_eq!(bm.admin_names, lm.admin_names);
    assert_eq!(base.admin_names().unwrap(), layered.admin_names().unwrap());
    let sources = layered.meta().unwrap().sources;
    let facts = sources
        .iter()
        .find(|s| s.kind == crate::gazetteer::SourceKind::BaseIndex)
        .unwrap();
    assert_eq!((facts.rows, facts.kept), (bm.places, bm.places));

    let ids = records(&layered);
    for idx in 0..base.len() as u32 {
        let place = base.place(idx).unwrap();
        let there = ids[&place.geonameid];
        assert_eq!(layered.place(there).unwrap(), place);
        let alts = |g: &Gazetteer, i| {
            let mut a = g.alt_names(i).unwrap();
            a.sort_by(|x, y| (&x.name, &x.lang).cmp(&(&y.name, &y.lang)));
            a
        };
        assert_eq!(alts(&layered, there), alts(&base, idx), "{}", place.name);
        // Every key of every name, its Latin spellings included, finds the same places the same way.
        let mut keys = BTreeSet::new();
        for name in std::iter::once(place.name.clone())
            .chain(base.alt_names(idx).unwrap().into_iter().map(|a| a.name))
        {
            keys.insert(name_key(&name));
            keys.extend(translit::latin_spellings(&name).iter().map(|l| name_key(l)));
        }
        for k in keys {
            assert_eq!(
                postings_by_id(&layered, &k),
                postings_by_id(&base, &k),
                "{k}"
            );
        }
    }
}

#[test]
fn a_dump_row_wins_over_the_base_and_names_are_merged() {
    let dir = tempfile::tempdir().unwrap();
    let base_path = fixture_base(dir.path());
    let ua = dir.path().join("UA.txt");
    // Bakhmut moved ~50 km, Kyiv at its own point with fewer names, and a village the base lacks.
    std::fs::write(
        &ua,
        "713174\tBakhmut\tBakhmut\tBakhmut\t48.9\t38.5\tP\tPPLA2\tUA\t\t05\t1402\t\t\t70000\t\t100\tEurope/Kyiv\t2026-04-17\n\
         703448\tKyiv City\tKyiv City\t\t50.45466\t30.5238\tP\tPPLC\tUA\t\t12\t\t\t\t2952301\t\t187\tEurope/Kyiv\t2026-03-29\n\
         99999901\tTestivka\tTestivka\tТестівка\t48.1\t37.9\tP\tPPL\tUA\t\t05\t1402\t\t\t120\t\t150\tEurope/Kyiv\t2026-01-01\n",
    )
    .unwrap();
    let out = dir.path().join("layered.gaz");
    let summary = build(&[ua], Some(&base_path), &out);
    assert_eq!(summary.base_conflicts.len(), 1);
    assert_eq!(summary.base_conflicts[0].count, 1);
    assert_eq!(summary.base_conflicts[0].first_ids, [713174]);

    let (base, g) = (
        Gazetteer::open(&base_path).unwrap(),
        Gazetteer::open(&out).unwrap(),
    );
    assert_eq!(g.len(), base.len() + 1);
    let ids = records(&g);
    let bakhmut = g.place(ids[&713174]).unwrap();
    assert_eq!((bakhmut.latitude, bakhmut.longitude), (48.9, 38.5));
    assert_eq!(bakhmut.population, 70000);
    // The base's historic names of Bakhmut stay historic.
    assert!(postings_by_id(&g, "artemivsk").contains(&(713174, NameKind::Historic)));
    let artemivsk = g
        .alt_names(ids[&713174])
        .unwrap()
        .into_iter()
        .find(|a| a.name == "Artemivsk")
        .unwrap();
    assert!(artemivsk.historic);
    // Kyiv takes the source's name; the base's name is now an alternate name, the others stay.
    let kyiv = ids[&703448];
    assert_eq!(g.place(kyiv).unwrap().name, "Kyiv City");
    assert!(postings_by_id(&g, "kyiv").contains(&(703448, NameKind::Preferred)));
    assert!(postings_by_id(&g, "kiev").contains(&(703448, NameKind::Colloquial)));
    // The new village, with its Cyrillic name's Latin spelling derived once.
    assert_eq!(postings_by_id(&g, "testivka"), [(99999901, NameKind::Name)]);
    assert_eq!(
        g.place(ids[&99999901]).unwrap().admin1.as_deref(),
        Some("Donetsk")
    );
}

#[test]
fn damaged_or_missing_bases_are_refused_with_the_recipe() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(fixture_base(dir.path())).unwrap();
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0xff;
    let cases = [
        ("flipped.gaz", flipped),
        ("short.gaz", good[..good.len() / 3].to_vec()),
        ("notes.gaz", b"not an index at all".to_vec()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = GazetteerBuilder::new(BuildOptions::default())
            .set_base_file(&path)
            .unwrap_err();
        assert!(
            matches!(&err, Error::BadBase { path: p, .. } if p == &path),
            "{name}: {err}"
        );
        assert!(
            err.to_string().contains("geoevents gazetteer build"),
            "{err}"
        );
    }
    let missing = dir.path().join("missing.gaz");
    let err = GazetteerBuilder::new(BuildOptions::default())
        .set_base_file(&missing)
        .unwrap_err();
    assert!(matches!(err, Error::BaseUnreadable { .. }), "{err}");
}

#[test]
fn an_ascii_name_stays_an_exact_match() {
    let dir = tempfile::tempdir().unwrap();
    // "Łódź" and "Lodz" fold to different keys, so the ASCII name is indexed apart.
    let pl = dir.path().join("PL.txt");
    std::fs::write(
        &pl,
        "3093133\tŁódź\tLodz\tLodsch,Łódź\t51.75\t19.46667\tP\tPPLA\tPL\t\t74\t1061\t\t\t768755\t\t210\tEurope/Warsaw\t2024-01-01\n",
    )
    .unwrap();
    let base_path = dir.path().join("base.gaz");
    build(&[pl], None, &base_path);
    let out = dir.path().join("layered.gaz");
    build(&[fixture("countryInfo.txt")], Some(&base_path), &out);
    let (base, g) = (
        Gazetteer::open(&base_path).unwrap(),
        Gazetteer::open(&out).unwrap(),
    );
    assert_eq!(postings_by_id(&base, "lodz"), [(3093133, NameKind::Ascii)]);
    assert_eq!(postings_by_id(&g, "lodz"), [(3093133, NameKind::Ascii)]);
    assert_eq!(g.alt_names(0).unwrap(), base.alt_names(0).unwrap());
    assert_eq!(g.place(0).unwrap().country.as_deref(), Some("Poland"));
}
