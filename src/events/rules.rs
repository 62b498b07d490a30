//! What happened: ACLED's event types and sub-event types, each recognised by the words a report
//! uses for it, and the cues that say a thing did not (yet) happen.

use std::sync::OnceLock;

use regex::Regex;

use super::lang::{self, Lang};

pub const BATTLES: &str = "Battles";
pub const EXPLOSIONS: &str = "Explosions/Remote violence";
pub const VIOLENCE: &str = "Violence against civilians";
pub const PROTESTS: &str = "Protests";
pub const RIOTS: &str = "Riots";
pub const STRATEGIC: &str = "Strategic developments";

/// ACLED's six event types, in the codebook's order.
pub const EVENT_TYPES: [&str; 6] = [BATTLES, EXPLOSIONS, VIOLENCE, PROTESTS, RIOTS, STRATEGIC];

/// Territory changing hands: which sub-event type depends on who took it (see `events`).
pub const TERRITORY: &str = "territory";

/// One way of saying that an event of a type happened.
#[derive(Debug)]
pub struct Rule {
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    /// The words that name the event (the trigger).
    pub trigger: Regex,
    /// Words that must also be in the clause ("protesters" for tear gas to be a protest event).
    pub with: Option<Regex>,
    /// A meeting or agreement is news even when it is scheduled, so modal words do not cancel it.
    pub scheduled_ok: bool,
    /// The event may only sit where the clause says it took place ("in", "at"), not at a place it
    /// is about ("talks on Donbas").
    pub locative_only: bool,
    /// Not when armed groups are the actors (the table's `ARMED` list): "RSF fighters looted"
    /// is not a riot.
    pub unarmed: Option<Regex>,
    /// The language whose words the rule reads (and whose cues cancel it).
    pub lang: Lang,
}

static TABLE: &str = include_str!("../../lang/en/events_rules.txt");

/// The rules of `lang/en/events_rules.txt`, in order.
pub fn rules() -> &'static [Rule] {
    static R: OnceLock<Vec<Rule>> = OnceLock::new();
    R.get_or_init(|| {
        parse(TABLE, Lang::En)
            .expect("lang/en/events_rules.txt is well-formed (a unit test checks)")
    })
}

/// The rules of a language: English's `lang/en/events_rules.txt`, or a pack's `events_rules.txt`.
pub fn rules_for(language: Lang) -> &'static [Rule] {
    static UK: OnceLock<Vec<Rule>> = OnceLock::new();
    static RU: OnceLock<Vec<Rule>> = OnceLock::new();
    let cell = match language {
        Lang::En => return rules(),
        Lang::Uk => &UK,
        Lang::Ru => &RU,
    };
    cell.get_or_init(|| {
        let pack = lang::pack(language).expect("a pack for every language but English");
        parse(pack.rules, language)
            .expect("a language pack's events_rules.txt is well-formed (a unit test checks)")
    })
}

/// A rule being read: type, sub-event type, triggers, company, flags.
type Pending<'t> = (
    &'static str,
    &'static str,
    Vec<String>,
    Option<String>,
    &'t str,
);

fn words(alts: &str, language: Lang) -> Result<Regex, String> {
    // English words are ASCII words; other languages' letters are word letters too.
    let pattern = if language == Lang::En {
        format!(r"(?i)(?-u:\b)(?:{alts})(?-u:\b)")
    } else {
        format!(r"(?i)\b(?:{alts})\b")
    };
    regex::RegexBuilder::new(&pattern)
        // Case-blind alternations of Unicode words make many DFA states; with room for them the
        // lazy DFA stops rebuilding its cache on every clause.
        .dfa_size_limit(32 << 20)
        .build()
        .map_err(|e| e.to_string())
}

fn finish(
    p: Pending,
    armed: Option<&str>,
    language: Lang,
    out: &mut Vec<Rule>,
) -> Result<(), String> {
    let (event_type, sub_event_type, triggers, with, flags) = p;
    let unarmed = match (flags.contains("unarmed"), armed) {
        (false, _) => None,
        (true, Some(a)) => Some(words(a, language)?),
        (true, None) => return Err("flag `unarmed` needs `list ARMED`".into()),
    };
    out.push(Rule {
        event_type,
        sub_event_type,
        trigger: words(&triggers.join("|"), language)?,
        with: with.as_deref().map(|w| words(w, language)).transpose()?,
        scheduled_ok: flags.contains("scheduled"),
        locative_only: flags.contains("locative"),
        unarmed,
        lang: language,
    });
    Ok(())
}

fn armed<'t>(lists: &'t [(&str, String)]) -> Option<&'t str> {
    lists
        .iter()
        .find(|(n, _)| *n == "ARMED")
        .map(|(_, v)| v.as_str())
}

/// Reads the rule table; an error names the line.
fn parse(table: &str, language: Lang) -> Result<Vec<Rule>, String> {
    let mut lists: Vec<(&str, String)> = Vec::new();
    let mut out: Vec<Rule> = Vec::new();
    let mut pending: Option<Pending> = None;
    for (n, line) in table.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        // `$NAME` anywhere in a line stands for the list of that name.
        let expand = |v: &str| -> Result<String, String> {
            let mut out = String::new();
            for (i, part) in v.split('$').enumerate() {
                if i == 0 {
                    out.push_str(part);
                    continue;
                }
                let end = part
                    .find(|c: char| !c.is_ascii_uppercase())
                    .unwrap_or(part.len());
                let name = &part[..end];
                let list = lists
                    .iter()
                    .find(|(n, _)| *n == name)
                    .ok_or(format!("line {n}: no list {name}"))?;
                out.push_str(&list.1);
                out.push_str(&part[end..]);
            }
            Ok(out)
        };
        match (word, pending.as_mut()) {
            ("list", _) => {
                let (name, alts) = rest
                    .split_once(' ')
                    .ok_or(format!("line {n}: expected `list NAME ALTERNATIVES`"))?;
                // A list may use the lists above it.
                let alts = expand(alts)?;
                lists.push((name, alts));
            }
            ("trigger", Some(p)) => p.2.push(expand(rest)?),
            ("with", Some(p)) => p.3 = Some(expand(rest)?),
            ("flags", Some(p)) => p.4 = rest,
            _ => {
                let (t, sub) = line
                    .split_once(" / ")
                    .ok_or(format!("line {n}: expected `Type / Sub-event type`"))?;
                let event_type = EVENT_TYPES
                    .iter()
                    .find(|e| **e == t)
                    .ok_or(format!("line {n}: `{t}` is not an ACLED event type"))?;
                let sub: &'static str = if sub == TERRITORY {
                    TERRITORY
                } else {
                    SUB_EVENT_TYPES
                        .iter()
                        .find(|s| **s == sub)
                        .ok_or(format!("line {n}: `{sub}` is not an ACLED sub-event type"))?
                };
                if let Some(p) = pending.take() {
                    finish(p, armed(&lists), language, &mut out)?;
                }
                pending = Some((event_type, sub, Vec::new(), None, ""));
            }
        }
    }
    if let Some(p) = pending.take() {
        finish(p, armed(&lists), language, &mut out)?;
    }
    Ok(out)
}

/// ACLED's sub-event types.
pub const SUB_EVENT_TYPES: [&str; 25] = [
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
];

/// A cue pattern, with the lazy DFA's room of the triggers (`words`): case-blind Unicode words
/// with "up to five words" after them make many states, which a small cache rebuilds per clause.
fn cue(pattern: &str) -> Regex {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(32 << 20)
        .build()
        .expect("cue compiles")
}

/// Words before a trigger that say it did not happen, or not yet: "trying to capture", "could
/// target", "aims to advance", "has not confirmed".
fn unrealised_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        cue(r"(?i)(?-u:\b)(?:would|could|might|(?-i:may)|will|shall|urg\w*|calls?\s+for|called\s+for|demand\w*|hopes?|propos\w*|aims?|aiming|plans?|planned|planning|trying|tries|try|threat\w*|expect\w*|anticipat\w*|prepar\w*|intend\w*|vow\w*|warn\w*|seek\w*|sought|wants?|wanting|if|whether|unless|not|no|never|denied|possib\w*|goal|order\s+to|able\s+to|fears?|feared|risk|plot\w*|suspicion|suspected\s+of|accused\s+of|charged\s+with|convicted|sentenced|trial|anniversar\w*|commemorat\w*|memorial)(?-u:\b)(?:\W+\w+){0,5}\W*$")
    })
}

/// "Capturing Bakhmut would give...": the modal after a gerund.
fn unrealised_after() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| cue(r"(?i)^\W*(?:\w+\W+){0,3}?(?:would|could|might|(?-i:may))(?-u:\b)"))
}

/// The end of `text` from the start of its `n`th word from last (a word: a run of letters,
/// digits or `_`), so that patterns anchored at the end ("a cue and at most five words") read a
/// few words, not the whole clause before a trigger.
pub(crate) fn last_words(text: &str, n: usize) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices().rev() {
        let w = c.is_alphanumeric() || c == '_';
        if in_word && !w {
            words += 1;
            if words == n {
                return &text[i + c.len_utf8()..];
            }
        }
        in_word = w;
    }
    text
}

/// The trigger at `before`|trigger|`after` reports something that happened.
pub fn realised(rule: &Rule, before: &str, trigger: &str, after: &str) -> bool {
    // The cues below end with at most five words after the cue word: eight words hold them.
    let before = last_words(before, 8);
    if let Some(pack) = lang::pack(rule.lang) {
        return !pack.cues().cancels(before) && !pack.cues().denied(before, after);
    }
    static HYPOTHETICAL: OnceLock<Regex> = OnceLock::new();
    if rule.scheduled_ok {
        let re = HYPOTHETICAL.get_or_init(|| {
            cue(r"(?i)(?-u:\b)(?:would|could|might|if|not|no|urg\w*|calls?\s+for|called\s+for|return\s+to|hopes?|propos\w*)(?-u:\b)(?:\W+\w+){0,3}\W*$")
        });
        return !re.is_match(before);
    }
    let gerund = trigger
        .split_whitespace()
        .next()
        .is_some_and(|w| w.ends_with("ing"));
    static MODAL_NEXT: OnceLock<Regex> = OnceLock::new();
    // "an offensive that could target…"
    let modal_next = MODAL_NEXT
        .get_or_init(|| cue(r"(?i)^\W*(?:(?:that|which)\s+)?(?:could|would|might|may)(?-u:\b)"));
    !(unrealised_before().is_match(before)
        || modal_next.is_match(after)
        || (gerund && unrealised_after().is_match(after)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_words_keeps_whole_words() {
        assert_eq!(last_words("one two three four", 2), "three four");
        assert_eq!(last_words("a, b", 5), "a, b");
        assert_eq!(last_words("Kam'ianske was hit", 2), "was hit");
        assert_eq!(last_words("", 3), "");
    }

    #[test]
    fn the_rule_table_reads() {
        let r = parse(TABLE, Lang::En).unwrap();
        assert!(r.len() > 20);
        assert!(parse("Battles / Armed clashes\ntrigger x", Lang::En)
            .unwrap_err()
            .contains("line 1"));
        assert!(parse("Battles / Armed clash\nwith $NOPE", Lang::En)
            .unwrap_err()
            .contains("no list NOPE"));
        for p in lang::packs() {
            assert!(parse(p.rules, p.lang).unwrap().len() > 20);
        }
    }

    fn classify(clause: &str) -> Option<(&'static str, &'static str)> {
        classify_in(Lang::En, clause)
    }

    fn classify_in(language: Lang, clause: &str) -> Option<(&'static str, &'static str)> {
        for r in rules_for(language) {
            if r.with.as_ref().is_some_and(|w| !w.is_match(clause)) {
                continue;
            }
            for m in r.trigger.find_iter(clause) {
                if realised(r, &clause[..m.start()], m.as_str(), &clause[m.end()..]) {
                    return Some((r.event_type, r.sub_event_type));
                }
            }
        }
        None
    }

    #[test]
    fn ukrainian_triggers_in_all_their_forms() {
        let shelling = Some((EXPLOSIONS, "Shelling/artillery/missile attack"));
        let drone = Some((EXPLOSIONS, "Air/drone strike"));
        let clash = Some((BATTLES, "Armed clash"));
        let ied = Some((EXPLOSIONS, "Remote explosive/landmine/IED"));
        for (clause, want) in [
            ("окупанти обстріляли село з артилерії", shelling),
            ("ворог обстріляв громаду", shelling),
            ("росіянка обстріляла", shelling),
            ("під обстрілом опинилося місто", shelling),
            ("ракетний удар по місту", shelling),
            ("удар дрона по підприємству", drone),
            ("ворог атакував місто ударними БпЛА", drone),
            ("авіаудар по селищу", drone),
            ("тривають бої за місто", clash),
            ("наші захисники відбили 12 атак", clash),
            ("противник штурмує позиції", clash),
            ("ворог продовжує наступ", clash),
            ("у місті пролунали вибухи", ied),
            ("трактор підірвався на міні", ied),
            (
                "сили ППО збили 20 шахедів",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
            ("збили російський Су-34", shelling),
            ("СБУ затримала коригувальника", Some((STRATEGIC, "Arrests"))),
            (
                "у центрі міста відбувся мітинг",
                Some((PROTESTS, "Peaceful protest")),
            ),
            (
                "поліція застосувала сльозогінний газ проти учасників мітингу",
                Some((PROTESTS, "Protest with intervention")),
            ),
            ("окупанти захопили село", Some((BATTLES, TERRITORY))),
            ("ЗСУ звільнили Клищіївку", Some((BATTLES, TERRITORY))),
            (
                "з полону повернули 100 захисників",
                Some((STRATEGIC, "Agreement")),
            ),
            ("з міста евакуювали 300 людей", Some((STRATEGIC, "Other"))),
            ("наступного дня у місті було тихо", None),
            ("ворог гатив по селищу", shelling),
            ("противник захопив село", Some((BATTLES, TERRITORY))),
            ("чоловік вбив сусіда", Some((VIOLENCE, "Attack"))),
            ("натовп побив двох водіїв", Some((RIOTS, "Mob violence"))),
            (
                "окупанти облаштували штаб у школі",
                Some((STRATEGIC, "Headquarters or base established")),
            ),
            (
                "росіяни вивезли з музею всі експонати",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            ("окупанти замінували дамбу", Some((STRATEGIC, "Other"))),
            (
                "селище перейшло під контроль окупантів",
                Some((BATTLES, TERRITORY)),
            ),
            ("ворог намагався потіснити наші підрозділи", clash),
            (
                "ППО знищили 11 «шахедів»",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
        ] {
            assert_eq!(classify_in(Lang::Uk, clause), want, "{clause}");
        }
    }

    #[test]
    fn russian_triggers_in_all_their_forms() {
        let shelling = Some((EXPLOSIONS, "Shelling/artillery/missile attack"));
        let clash = Some((BATTLES, "Armed clash"));
        for (clause, want) in [
            ("российские войска обстреляли город", shelling),
            ("противник обстрелял поселок из минометов", shelling),
            ("ракетный удар по Харькову", shelling),
            (
                "дрон атаковал автомобиль",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            ("идут бои за город", clash),
            ("ВСУ отразили наступление", clash),
            (
                "в городе прогремели взрывы",
                Some((EXPLOSIONS, "Remote explosive/landmine/IED")),
            ),
            (
                "ПВО сбили 12 беспилотников",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
            (
                "полиция задержала подозреваемого",
                Some((STRATEGIC, "Arrests")),
            ),
            (
                "в городе прошел митинг",
                Some((PROTESTS, "Peaceful protest")),
            ),
            ("наступила ночь", None),
            (
                "ВКС нанесли удар по складу",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            ("толпа избила мигранта", Some((RIOTS, "Mob violence"))),
            (
                "участники несогласованной акции бросали камни в полицию",
                Some((RIOTS, "Violent demonstration")),
            ),
            (
                "войска полностью заняли поселок",
                Some((BATTLES, TERRITORY)),
            ),
            ("заявили о взятии города", Some((BATTLES, TERRITORY))),
            (
                "бойцы начали выходить из города",
                Some((STRATEGIC, "Change to group/activity")),
            ),
            (
                "неизвестные поджигали двери военкомата",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            (
                "беспилотник упал на завод",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            ("в оккупированном городе прошла проверка", None),
        ] {
            assert_eq!(classify_in(Lang::Ru, clause), want, "{clause}");
        }
    }

    #[test]
    fn ukrainian_and_russian_plans_and_denials_are_not_events() {
        assert_eq!(
            classify_in(Lang::Uk, "росіяни можуть обстріляти місто"),
            None
        );
        assert_eq!(classify_in(Lang::Uk, "ворог планує новий наступ"), None);
        assert!(classify_in(Lang::Uk, "ворог не припиняє обстрілів").is_some());
        assert_eq!(classify_in(Lang::Ru, "армия не обстреливала город"), None);
        assert_eq!(
            classify_in(Lang::Ru, "Россия готовит новое наступление"),
            None
        );
        assert_eq!(
            classify_in(Lang::Uk, "ворог накопичує сили для нового наступу"),
            None
        );
        assert_eq!(
            classify_in(Lang::Ru, "эксперты ожидают, что ВСУ нанесут удары"),
            None
        );
        assert_eq!(
            classify_in(Lang::Ru, "командир вспомнил бои за город"),
            None
        );
    }

    #[test]
    fn the_specific_sub_event_wins_over_the_general() {
        assert_eq!(
            classify("police fired tear gas at protesters"),
            Some((PROTESTS, "Protest with intervention"))
        );
        assert_eq!(
            classify("air defences shot down 12 drones"),
            Some((STRATEGIC, "Disrupted weapons use"))
        );
        assert_eq!(
            classify("a missile attack on the port"),
            Some((EXPLOSIONS, "Shelling/artillery/missile attack"))
        );
        assert_eq!(
            classify("gunmen killed six villagers"),
            Some((VIOLENCE, "Attack"))
        );
        assert_eq!(
            classify("troops clashed with militants"),
            Some((BATTLES, "Armed clash"))
        );
        assert_eq!(
            classify("protesters threw stones at police"),
            Some((RIOTS, "Violent demonstration"))
        );
    }

    #[test]
    fn plans_and_hypotheses_are_not_events() {
        assert_eq!(
            classify("forces have been trying to capture the town"),
            None
        );
        assert_eq!(classify("an offensive that could target the region"), None);
        assert_eq!(
            classify("Capturing the town would give them a bridgehead"),
            None
        );
        assert!(classify("ministers are to begin a two-day meeting").is_some());
    }

    #[test]
    fn ukrainian_second_reading() {
        let clash = Some((BATTLES, "Armed clash"));
        for (clause, want) in [
            // Attempts to advance, and to win lost ground back, are fighting.
            (
                "противник шість разів пробував просунутися біля села",
                clash,
            ),
            (
                "ворог намагався відновити втрачене положення біля ставка",
                clash,
            ),
            // A hyphenated kind of drone still strikes.
            (
                "дрони-камікадзе атакували нафтобазу",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            (
                "після влучання безпілотника спалахнув склад",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            // A repelled attack of unmanned boats is an interception.
            (
                "флот відбив атаку безекіпажних катерів",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
            // Territory regained.
            (
                "бригада відновила контроль над хутором",
                Some((BATTLES, TERRITORY)),
            ),
            (
                "десантники вибили окупантів із села",
                Some((BATTLES, TERRITORY)),
            ),
            // Throwing things at a building during a protest; a crowd with no protest is a mob.
            (
                "мітингувальники закидали яйцями мерію",
                Some((RIOTS, "Violent demonstration")),
            ),
            (
                "натовп підпалив кіоск на ринку",
                Some((RIOTS, "Mob violence")),
            ),
            ("натовп громив вітрини", Some((RIOTS, "Mob violence"))),
            // A named action, a march through the streets.
            (
                "акція «Не мовчи» зібрала студентів",
                Some((PROTESTS, "Peaceful protest")),
            ),
            (
                "сотні людей пройшли маршем до ради",
                Some((PROTESTS, "Peaceful protest")),
            ),
            // Mobilisation raids and forced removals.
            (
                "працівники ТЦК посадили хлопця в мікроавтобус",
                Some((STRATEGIC, "Arrests")),
            ),
            (
                "у селі пройшла облава на ухилянтів",
                Some((STRATEGIC, "Arrests")),
            ),
            (
                "окупанти силоміць вивезли вчителів",
                Some((VIOLENCE, "Abduction/forced disappearance")),
            ),
            // Property: looting in slang, arson with a firebomb.
            (
                "мародери обнесли склад",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            (
                "хтось кинув пляшку із запалювальною сумішшю у вікно",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            // Rebasing, a base equipped, curfews and special regimes.
            (
                "полк перебазувався на північ",
                Some((STRATEGIC, "Change to group/activity")),
            ),
            (
                "армія обладнала базу для катерів у бухті",
                Some((STRATEGIC, "Headquarters or base established")),
            ),
            (
                "у місті запровадили комендантську годину",
                Some((STRATEGIC, "Other")),
            ),
        ] {
            assert_eq!(classify_in(Lang::Uk, clause), want, "{clause}");
        }
        // A demand for an exchange reports none.
        assert_eq!(
            classify_in(
                Lang::Uk,
                "родини вийшли на пікет з вимогою обміну полоненими"
            ),
            Some((PROTESTS, "Peaceful protest"))
        );
    }

    #[test]
    fn russian_second_reading() {
        let clash = Some((BATTLES, "Armed clash"));
        for (clause, want) in [
            ("противник пытался продвинуться у водохранилища", clash),
            (
                "враг безуспешно пытался восстановить утраченные позиции",
                clash,
            ),
            (
                "дроны-камикадзе атаковали нефтебазу",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            (
                "после попадания беспилотника загорелся резервуар",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            (
                "отражена атака безэкипажных катеров на порт",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
            (
                "уничтожены три БЭКа",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
            (
                "батальон восстановил контроль над хутором",
                Some((BATTLES, TERRITORY)),
            ),
            (
                "десантники выбили противника из поселка",
                Some((BATTLES, TERRITORY)),
            ),
            (
                "у подъезда взорван внедорожник",
                Some((EXPLOSIONS, "Remote explosive/landmine/IED")),
            ),
            (
                "митингующие забросали полицию камнями",
                Some((RIOTS, "Violent demonstration")),
            ),
            (
                "сторонники активиста столкнулись с ОМОНом",
                Some((RIOTS, "Violent demonstration")),
            ),
            ("толпа подожгла киоск", Some((RIOTS, "Mob violence"))),
            ("толпа громила витрины", Some((RIOTS, "Mob violence"))),
            (
                "студенты прошли маршем к мэрии",
                Some((PROTESTS, "Peaceful protest")),
            ),
            (
                "полиция задержала трех участниц пикета",
                Some((PROTESTS, "Protest with intervention")),
            ),
            (
                "у памятника задержали пятерых, пришедших возложить цветы",
                Some((PROTESTS, "Protest with intervention")),
            ),
            (
                "военкомы устроили облаву в общежитии",
                Some((STRATEGIC, "Arrests")),
            ),
            (
                "военные силой увезли двух мужчин",
                Some((VIOLENCE, "Abduction/forced disappearance")),
            ),
            (
                "подросток поджёг релейный шкаф",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            (
                "мужчина бросил бутылку с зажигательной смесью в окно",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            (
                "полк перебазируется в соседнюю область",
                Some((STRATEGIC, "Change to group/activity")),
            ),
            (
                "армия оборудовала базу в бухте",
                Some((STRATEGIC, "Headquarters or base established")),
            ),
            (
                "в городе ввели комендантский час",
                Some((STRATEGIC, "Other")),
            ),
            ("в районе действует режим КТО", Some((STRATEGIC, "Other"))),
        ] {
            assert_eq!(classify_in(Lang::Ru, clause), want, "{clause}");
        }
    }

    #[test]
    fn conflict_notes_phrasings() {
        let shelling = Some((EXPLOSIONS, "Shelling/artillery/missile attack"));
        for (clause, want) in [
            ("the army launched rockets at the town overnight", shelling),
            (
                "troops fired multiple rocket launchers at the village",
                shelling,
            ),
            (
                "the battalion fired at enemy positions near the river",
                shelling,
            ),
            ("gunners fired 'Grad' missiles at the depot", shelling),
            (
                "air defences shot down a fighter jet over the bay",
                shelling,
            ),
            (
                "police fired at a civilian car at the roadblock",
                Some((VIOLENCE, "Attack")),
            ),
            (
                "a truck ran over a mine on the road",
                Some((EXPLOSIONS, "Remote explosive/landmine/IED")),
            ),
            (
                "explosions were heard near the airfield",
                Some((EXPLOSIONS, "Remote explosive/landmine/IED")),
            ),
            (
                "the militia hit the village with a 'Shahed-136' drone",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            (
                "the air force fired on the bridge",
                Some((EXPLOSIONS, "Air/drone strike")),
            ),
            (
                "the brigade tried to advance towards the town",
                Some((BATTLES, "Armed clash")),
            ),
            (
                "rebels gained control over the town",
                Some((BATTLES, TERRITORY)),
            ),
            ("the army regained the village", Some((BATTLES, TERRITORY))),
            (
                "about 300 residents were evacuated from the city",
                Some((STRATEGIC, "Other")),
            ),
            (
                "soldiers damaged railways in the port",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            (
                "Interception: a cruise missile was brought down over the capital",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
            (
                "sappers blew up the road bridge outside the town",
                Some((EXPLOSIONS, "Remote explosive/landmine/IED")),
            ),
            (
                "a farmer was wounded by a mine left in his field",
                Some((EXPLOSIONS, "Remote explosive/landmine/IED")),
            ),
            ("the gunners fired 120mm at the trenches", shelling),
            (
                "the brigade destroyed two tanks and a pontoon bridge",
                shelling,
            ),
            (
                "partisans killed nine soldiers at the depot",
                Some((BATTLES, "Armed clash")),
            ),
            (
                "the troops tried to establish control over the hill",
                Some((BATTLES, "Armed clash")),
            ),
            (
                "the occupiers deported forty children to the east",
                Some((VIOLENCE, "Abduction/forced disappearance")),
            ),
            (
                "a convoy was moving towards the border crossing",
                Some((STRATEGIC, "Change to group/activity")),
            ),
            (
                "a mass grave was found near the forest",
                Some((STRATEGIC, "Other")),
            ),
            (
                "students protested against the bombing of the camp",
                Some((PROTESTS, "Peaceful protest")),
            ),
            (
                "nurses staged a protest over the killing of a colleague",
                Some((PROTESTS, "Peaceful protest")),
            ),
            (
                "police detained two leaders of the protest movement",
                Some((STRATEGIC, "Arrests")),
            ),
            (
                "raiders attack herdsmen at the river",
                Some((VIOLENCE, "Attack")),
            ),
            (
                "Looting: On 2 May, fighters emptied the shops of the market",
                Some((STRATEGIC, "Looting/property destruction")),
            ),
            (
                "Movement of forces: On 2 May, a militia convoy was seen on the road",
                Some((STRATEGIC, "Change to group/activity")),
            ),
            (
                "Defusal: On 2 May, police made safe a device found in a bag",
                Some((STRATEGIC, "Disrupted weapons use")),
            ),
            (
                "Other: On 2 May, the junta dissolved the town council",
                Some((STRATEGIC, "Other")),
            ),
            (
                "rival student factions clashed with sticks and stones on campus",
                Some((RIOTS, "Mob violence")),
            ),
            (
                "soldiers assaulted two traders at the market",
                Some((VIOLENCE, "Attack")),
            ),
            (
                "the militia attacked an army post with bombs",
                Some((EXPLOSIONS, "Remote explosive/landmine/IED")),
            ),
        ] {
            assert_eq!(classify(clause), want, "{clause}");
        }
    }
}
