//! SQLite's keyword list (all 147 keywords of 3.54) and the properties the
//! parser needs: which keywords may stand in for an identifier (SQLite's
//! `%fallback ID` list), which form the JOIN_KW, LIKE_KW and CTIME_KW
//! groups.
//!
//! Invariant: `KEYWORDS` is sorted by spelling (upper case ASCII) so that
//! `lookup` can binary-search it; keywords are matched ASCII
//! case-insensitively and never contain bytes >= 0x80.

/// Every keyword, one variant each, in alphabetical order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Abort,
    Action,
    Add,
    After,
    All,
    Alter,
    Always,
    Analyze,
    And,
    As,
    Asc,
    Attach,
    Autoincrement,
    Before,
    Begin,
    Between,
    By,
    Cascade,
    Case,
    Cast,
    Check,
    Collate,
    Column,
    Commit,
    Conflict,
    Constraint,
    Create,
    Cross,
    Current,
    CurrentDate,
    CurrentTime,
    CurrentTimestamp,
    Database,
    Default,
    Deferrable,
    Deferred,
    Delete,
    Desc,
    Detach,
    Distinct,
    Do,
    Drop,
    Each,
    Else,
    End,
    Escape,
    Except,
    Exclude,
    Exclusive,
    Exists,
    Explain,
    Fail,
    Filter,
    First,
    Following,
    For,
    Foreign,
    From,
    Full,
    Generated,
    Glob,
    Group,
    Groups,
    Having,
    If,
    Ignore,
    Immediate,
    In,
    Index,
    Indexed,
    Initially,
    Inner,
    Insert,
    Instead,
    Intersect,
    Into,
    Is,
    Isnull,
    Join,
    Key,
    Last,
    Left,
    Like,
    Limit,
    Match,
    Materialized,
    Natural,
    No,
    Not,
    Nothing,
    Notnull,
    Null,
    Nulls,
    Of,
    Offset,
    On,
    Or,
    Order,
    Others,
    Outer,
    Over,
    Partition,
    Plan,
    Pragma,
    Preceding,
    Primary,
    Query,
    Raise,
    Range,
    Recursive,
    References,
    Regexp,
    Reindex,
    Release,
    Rename,
    Replace,
    Restrict,
    Returning,
    Right,
    Rollback,
    Row,
    Rows,
    Savepoint,
    Select,
    Set,
    Table,
    Temp,
    Temporary,
    Then,
    Ties,
    To,
    Transaction,
    Trigger,
    Unbounded,
    Union,
    Unique,
    Update,
    Using,
    Vacuum,
    Values,
    View,
    Virtual,
    When,
    Where,
    Window,
    With,
    Without,
}
/// (spelling, keyword), sorted by spelling for binary search.
pub(crate) static KEYWORDS: [(&str, Keyword); 147] = [
    ("ABORT", Keyword::Abort),
    ("ACTION", Keyword::Action),
    ("ADD", Keyword::Add),
    ("AFTER", Keyword::After),
    ("ALL", Keyword::All),
    ("ALTER", Keyword::Alter),
    ("ALWAYS", Keyword::Always),
    ("ANALYZE", Keyword::Analyze),
    ("AND", Keyword::And),
    ("AS", Keyword::As),
    ("ASC", Keyword::Asc),
    ("ATTACH", Keyword::Attach),
    ("AUTOINCREMENT", Keyword::Autoincrement),
    ("BEFORE", Keyword::Before),
    ("BEGIN", Keyword::Begin),
    ("BETWEEN", Keyword::Between),
    ("BY", Keyword::By),
    ("CASCADE", Keyword::Cascade),
    ("CASE", Keyword::Case),
    ("CAST", Keyword::Cast),
    ("CHECK", Keyword::Check),
    ("COLLATE", Keyword::Collate),
    ("COLUMN", Keyword::Column),
    ("COMMIT", Keyword::Commit),
    ("CONFLICT", Keyword::Conflict),
    ("CONSTRAINT", Keyword::Constraint),
    ("CREATE", Keyword::Create),
    ("CROSS", Keyword::Cross),
    ("CURRENT", Keyword::Current),
    ("CURRENT_DATE", Keyword::CurrentDate),
    ("CURRENT_TIME", Keyword::CurrentTime),
    ("CURRENT_TIMESTAMP", Keyword::CurrentTimestamp),
    ("DATABASE", Keyword::Database),
    ("DEFAULT", Keyword::Default),
    ("DEFERRABLE", Keyword::Deferrable),
    ("DEFERRED", Keyword::Deferred),
    ("DELETE", Keyword::Delete),
    ("DESC", Keyword::Desc),
    ("DETACH", Keyword::Detach),
    ("DISTINCT", Keyword::Distinct),
    ("DO", Keyword::Do),
    ("DROP", Keyword::Drop),
    ("EACH", Keyword::Each),
    ("ELSE", Keyword::Else),
    ("END", Keyword::End),
    ("ESCAPE", Keyword::Escape),
    ("EXCEPT", Keyword::Except),
    ("EXCLUDE", Keyword::Exclude),
    ("EXCLUSIVE", Keyword::Exclusive),
    ("EXISTS", Keyword::Exists),
    ("EXPLAIN", Keyword::Explain),
    ("FAIL", Keyword::Fail),
    ("FILTER", Keyword::Filter),
    ("FIRST", Keyword::First),
    ("FOLLOWING", Keyword::Following),
    ("FOR", Keyword::For),
    ("FOREIGN", Keyword::Foreign),
    ("FROM", Keyword::From),
    ("FULL", Keyword::Full),
    ("GENERATED", Keyword::Generated),
    ("GLOB", Keyword::Glob),
    ("GROUP", Keyword::Group),
    ("GROUPS", Keyword::Groups),
    ("HAVING", Keyword::Having),
    ("IF", Keyword::If),
    ("IGNORE", Keyword::Ignore),
    ("IMMEDIATE", Keyword::Immediate),
    ("IN", Keyword::In),
    ("INDEX", Keyword::Index),
    ("INDEXED", Keyword::Indexed),
    ("INITIALLY", Keyword::Initially),
    ("INNER", Keyword::Inner),
    ("INSERT", Keyword::Insert),
    ("INSTEAD", Keyword::Instead),
    ("INTERSECT", Keyword::Intersect),
    ("INTO", Keyword::Into),
    ("IS", Keyword::Is),
    ("ISNULL", Keyword::Isnull),
    ("JOIN", Keyword::Join),
    ("KEY", Keyword::Key),
    ("LAST", Keyword::Last),
    ("LEFT", Keyword::Left),
    ("LIKE", Keyword::Like),
    ("LIMIT", Keyword::Limit),
    ("MATCH", Keyword::Match),
    ("MATERIALIZED", Keyword::Materialized),
    ("NATURAL", Keyword::Natural),
    ("NO", Keyword::No),
    ("NOT", Keyword::Not),
    ("NOTHING", Keyword::Nothing),
    ("NOTNULL", Keyword::Notnull),
    ("NULL", Keyword::Null),
    ("NULLS", Keyword::Nulls),
    ("OF", Keyword::Of),
    ("OFFSET", Keyword::Offset),
    ("ON", Keyword::On),
    ("OR", Keyword::Or),
    ("ORDER", Keyword::Order),
    ("OTHERS", Keyword::Others),
    ("OUTER", Keyword::Outer),
    ("OVER", Keyword::Over),
    ("PARTITION", Keyword::Partition),
    ("PLAN", Keyword::Plan),
    ("PRAGMA", Keyword::Pragma),
    ("PRECEDING", Keyword::Preceding),
    ("PRIMARY", Keyword::Primary),
    ("QUERY", Keyword::Query),
    ("RAISE", Keyword::Raise),
    ("RANGE", Keyword::Range),
    ("RECURSIVE", Keyword::Recursive),
    ("REFERENCES", Keyword::References),
    ("REGEXP", Keyword::Regexp),
    ("REINDEX", Keyword::Reindex),
    ("RELEASE", Keyword::Release),
    ("RENAME", Keyword::Rename),
    ("REPLACE", Keyword::Replace),
    ("RESTRICT", Keyword::Restrict),
    ("RETURNING", Keyword::Returning),
    ("RIGHT", Keyword::Right),
    ("ROLLBACK", Keyword::Rollback),
    ("ROW", Keyword::Row),
    ("ROWS", Keyword::Rows),
    ("SAVEPOINT", Keyword::Savepoint),
    ("SELECT", Keyword::Select),
    ("SET", Keyword::Set),
    ("TABLE", Keyword::Table),
    ("TEMP", Keyword::Temp),
    ("TEMPORARY", Keyword::Temporary),
    ("THEN", Keyword::Then),
    ("TIES", Keyword::Ties),
    ("TO", Keyword::To),
    ("TRANSACTION", Keyword::Transaction),
    ("TRIGGER", Keyword::Trigger),
    ("UNBOUNDED", Keyword::Unbounded),
    ("UNION", Keyword::Union),
    ("UNIQUE", Keyword::Unique),
    ("UPDATE", Keyword::Update),
    ("USING", Keyword::Using),
    ("VACUUM", Keyword::Vacuum),
    ("VALUES", Keyword::Values),
    ("VIEW", Keyword::View),
    ("VIRTUAL", Keyword::Virtual),
    ("WHEN", Keyword::When),
    ("WHERE", Keyword::Where),
    ("WINDOW", Keyword::Window),
    ("WITH", Keyword::With),
    ("WITHOUT", Keyword::Without),
];

/// The number of keywords (sqlite3_keyword_count).
pub fn count() -> usize {
    KEYWORDS.len()
}

/// The `i`th keyword's upper-case spelling, in spelling order
/// (sqlite3_keyword_name; SQLite's own order is unspecified).
pub fn nth(i: usize) -> Option<&'static str> {
    KEYWORDS.get(i).map(|(s, _)| *s)
}

/// Looks a word up in the keyword table, ignoring ASCII case. Runs for
/// every identifier the tokenizer sees, so it compares only against the
/// keywords of the word's length and first letter (`by_shape`), without
/// copying the word.
pub fn lookup(word: &str) -> Option<Keyword> {
    let b = word.as_bytes();
    let slot = shape(b)?;
    let (start, end) = by_shape()[slot];
    KEYWORDS[start as usize..end as usize].iter().find(|(k, _)| k.as_bytes().eq_ignore_ascii_case(b)).map(|(_, kw)| *kw)
}

/// The longest keyword.
const MAX_LEN: usize = 17;

/// The `by_shape` slot of a word: its length and first letter; None when
/// no keyword has that shape.
fn shape(b: &[u8]) -> Option<usize> {
    if b.len() < 2 || b.len() > MAX_LEN {
        return None;
    }
    let first = b[0].to_ascii_uppercase();
    if !first.is_ascii_uppercase() {
        return None;
    }
    Some(b.len() * 26 + usize::from(first - b'A'))
}

/// For each (length, first letter) slot, the range of `KEYWORDS` entries
/// of that shape (sorted by spelling, so the keywords with one first
/// letter are contiguous, and their lengths are filtered in the range).
fn by_shape() -> &'static [(u16, u16)] {
    static TABLE: std::sync::OnceLock<Vec<(u16, u16)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![(0u16, 0u16); (MAX_LEN + 1) * 26];
        // Entries of one letter are contiguous: the range of the letter,
        // narrowed to the first and last keyword of each length in it.
        for (i, (k, _)) in KEYWORDS.iter().enumerate() {
            if let Some(slot) = shape(k.as_bytes()) {
                let e = &mut t[slot];
                if e.0 == e.1 {
                    *e = (i as u16, i as u16 + 1);
                } else {
                    e.1 = i as u16 + 1;
                }
            }
        }
        t
    })
}

impl Keyword {
    /// The keyword's canonical (upper case) spelling.
    pub fn as_str(self) -> &'static str {
        KEYWORDS.iter().find(|(_, k)| *k == self).map(|(s, _)| *s).unwrap_or("")
    }

    /// True for keywords SQLite's grammar lets fall back to an identifier
    /// (the `%fallback ID` list of parse.y).
    pub fn is_fallback_id(self) -> bool {
        use Keyword::*;
        matches!(
            self,
            Explain | Query | Plan | Begin | Deferred | Immediate | Exclusive | End | Rollback
                | Savepoint | Release | If | Temp | Temporary | Without | Abort | Action
                | After | Analyze | Asc | Attach | Before | By | Cascade | Cast | Conflict
                | Database | Desc | Detach | Each | Fail | Match | Like | Glob | Regexp
                | Column | Do | For | Ignore | Initially | Instead | No | Key | Of | Offset
                | Pragma | Raise | Recursive | Replace | Restrict | Row | Rows | Trigger
                | Vacuum | View | Virtual | With | Nulls | First | Last | Current | Following
                | Partition | Preceding | Range | Unbounded | Exclude | Groups | Others | Ties
                | Generated | Always | Materialized | Reindex | Rename | CurrentDate
                | CurrentTime | CurrentTimestamp
        )
    }

    /// The JOIN_KW group: join-type words, also usable as names.
    pub fn is_join_kw(self) -> bool {
        use Keyword::*;
        matches!(self, Cross | Full | Inner | Left | Natural | Outer | Right)
    }

    /// The LIKE_KW group.
    pub fn is_like_kw(self) -> bool {
        matches!(self, Keyword::Like | Keyword::Glob | Keyword::Regexp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert_eq!(KEYWORDS.len(), 147);
        for w in KEYWORDS.windows(2) {
            assert!(w[0].0 < w[1].0);
        }
        assert_eq!(lookup("select"), Some(Keyword::Select));
        assert_eq!(lookup("SeLeCt"), Some(Keyword::Select));
        assert_eq!(lookup("current_timestamp"), Some(Keyword::CurrentTimestamp));
        assert_eq!(lookup("selects"), None);
        assert_eq!(lookup("x"), None);
        assert_eq!(Keyword::Autoincrement.as_str(), "AUTOINCREMENT");
        assert!(Keyword::Key.is_fallback_id());
        assert!(!Keyword::Select.is_fallback_id());
    }

    #[test]
    fn every_keyword_is_found_in_any_case_and_nothing_else() {
        for (k, kw) in KEYWORDS.iter() {
            assert_eq!(lookup(k), Some(*kw), "{k}");
            assert_eq!(lookup(&k.to_ascii_lowercase()), Some(*kw), "{k}");
            // One letter changed, or one added or taken away: not a keyword
            // unless the table has that spelling too.
            let mut other = k.to_string();
            other.push('X');
            assert_eq!(lookup(&other), KEYWORDS.iter().find(|(s, _)| *s == other).map(|(_, w)| *w));
            let short = &k[..k.len() - 1];
            assert_eq!(lookup(short), KEYWORDS.iter().find(|(s, _)| *s == short).map(|(_, w)| *w));
        }
        for w in ["", "a", "col0", "tab1", "_x", "1abc", "éte", "PRIMARYKEY", "current_timestampx", "zz"] {
            assert_eq!(lookup(w), None, "{w}");
        }
    }
}
