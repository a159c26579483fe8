//! The condition language of approval rules: `amount > 50000 and plant in ["KOL", "VSK"]`.
//! A real parser (tokens, precedence, positions in errors) and an evaluator over decimal numbers
//! and text; never `eval`. Conditions are parsed when a rule is saved and when a route is fixed.
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The fields a condition may use, and what they hold.
pub const FIELDS: &[(&str, Kind)] = &[
    ("amount", Kind::Number),
    ("plant", Kind::Text),
    ("department", Kind::Text),
    ("purpose", Kind::Text),
    ("category", Kind::Text),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Number,
    Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Number(Decimal),
    Text(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
    In,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    True,
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp {
        field: String,
        op: CmpOp,
        values: Vec<Value>,
    },
}

/// What went wrong, where (a character offset), for a translated message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseError {
    pub at: usize,
    pub kind: ParseErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum ParseErrorKind {
    UnexpectedCharacter(char),
    UnterminatedText,
    BadNumber(String),
    UnknownField(String),
    Expected(String),
    UnexpectedEnd,
    TypeMismatch(String),
    TooLong,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Num(Decimal),
    Text(String),
    Op(CmpOp),
    And,
    Or,
    Not,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

const MAX_LEN: usize = 2000;

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    if src.chars().count() > MAX_LEN {
        return Err(ParseError {
            at: MAX_LEN,
            kind: ParseErrorKind::TooLong,
        });
    }
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push((start, Tok::LParen));
                i += 1
            }
            ')' => {
                out.push((start, Tok::RParen));
                i += 1
            }
            '[' => {
                out.push((start, Tok::LBracket));
                i += 1
            }
            ']' => {
                out.push((start, Tok::RBracket));
                i += 1
            }
            ',' => {
                out.push((start, Tok::Comma));
                i += 1
            }
            '>' | '<' | '=' | '!' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('>', Some('=')) => (CmpOp::Ge, 2),
                    ('<', Some('=')) => (CmpOp::Le, 2),
                    ('=', Some('=')) => (CmpOp::Eq, 2),
                    ('!', Some('=')) => (CmpOp::Ne, 2),
                    ('>', _) => (CmpOp::Gt, 1),
                    ('<', _) => (CmpOp::Lt, 1),
                    ('=', _) => (CmpOp::Eq, 1),
                    _ => {
                        return Err(ParseError {
                            at: start,
                            kind: ParseErrorKind::UnexpectedCharacter(c),
                        })
                    }
                };
                out.push((start, Tok::Op(op)));
                i += len;
            }
            '"' | '\'' => {
                let quote = c;
                i += 1;
                let mut text = String::new();
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(ParseError {
                                at: start,
                                kind: ParseErrorKind::UnterminatedText,
                            })
                        }
                        Some(ch) if *ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            text.push(*ch);
                            i += 1
                        }
                    }
                }
                out.push((start, Tok::Text(text)));
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) =>
            {
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_')
                {
                    i += 1;
                }
                let raw: String = chars[start..i].iter().filter(|ch| **ch != '_').collect();
                let n = Decimal::from_str(&raw).map_err(|_| ParseError {
                    at: start,
                    kind: ParseErrorKind::BadNumber(raw.clone()),
                })?;
                out.push((start, Tok::Num(n)));
            }
            c if c.is_alphabetic() || c == '_' => {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let tok = match word.to_ascii_lowercase().as_str() {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    "in" => Tok::Op(CmpOp::In),
                    _ => Tok::Ident(word),
                };
                out.push((start, tok));
            }
            other => {
                return Err(ParseError {
                    at: start,
                    kind: ParseErrorKind::UnexpectedCharacter(other),
                })
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|(p, _)| *p).unwrap_or(self.end)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|(_, t)| t.clone());
        self.pos += 1;
        t
    }
    fn expect(&mut self, want: Tok, name: &str) -> Result<(), ParseError> {
        let at = self.at();
        match self.next() {
            Some(t) if t == want => Ok(()),
            Some(_) => Err(ParseError {
                at,
                kind: ParseErrorKind::Expected(name.into()),
            }),
            None => Err(ParseError {
                at,
                kind: ParseErrorKind::UnexpectedEnd,
            }),
        }
    }
    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.not()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }
    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Expr, ParseError> {
        let at = self.at();
        match self.next() {
            Some(Tok::LParen) => {
                let e = self.or()?;
                self.expect(Tok::RParen, ")")?;
                Ok(e)
            }
            Some(Tok::Ident(name)) => {
                let field = name.to_ascii_lowercase();
                let Some((_, kind)) = FIELDS.iter().find(|(f, _)| *f == field) else {
                    return Err(ParseError {
                        at,
                        kind: ParseErrorKind::UnknownField(name),
                    });
                };
                let op_at = self.at();
                let op = match self.next() {
                    Some(Tok::Op(op)) => op,
                    Some(_) => {
                        return Err(ParseError {
                            at: op_at,
                            kind: ParseErrorKind::Expected("> >= < <= == != in".into()),
                        })
                    }
                    None => {
                        return Err(ParseError {
                            at: op_at,
                            kind: ParseErrorKind::UnexpectedEnd,
                        })
                    }
                };
                let val_at = self.at();
                let values = if op == CmpOp::In {
                    self.expect(Tok::LBracket, "[")?;
                    let mut vals = vec![self.value()?];
                    while self.peek() == Some(&Tok::Comma) {
                        self.pos += 1;
                        vals.push(self.value()?);
                    }
                    self.expect(Tok::RBracket, "]")?;
                    vals
                } else {
                    vec![self.value()?]
                };
                for v in &values {
                    let ok = matches!(
                        (kind, v),
                        (Kind::Number, Value::Number(_)) | (Kind::Text, Value::Text(_))
                    );
                    if !ok {
                        return Err(ParseError {
                            at: val_at,
                            kind: ParseErrorKind::TypeMismatch(field.clone()),
                        });
                    }
                }
                if *kind == Kind::Text && !matches!(op, CmpOp::Eq | CmpOp::Ne | CmpOp::In) {
                    return Err(ParseError {
                        at: op_at,
                        kind: ParseErrorKind::TypeMismatch(field),
                    });
                }
                Ok(Expr::Cmp { field, op, values })
            }
            Some(_) => Err(ParseError {
                at,
                kind: ParseErrorKind::Expected("field".into()),
            }),
            None => Err(ParseError {
                at,
                kind: ParseErrorKind::UnexpectedEnd,
            }),
        }
    }
    fn value(&mut self) -> Result<Value, ParseError> {
        let at = self.at();
        match self.next() {
            Some(Tok::Num(n)) => Ok(Value::Number(n)),
            Some(Tok::Text(t)) => Ok(Value::Text(t)),
            Some(_) => Err(ParseError {
                at,
                kind: ParseErrorKind::Expected("value".into()),
            }),
            None => Err(ParseError {
                at,
                kind: ParseErrorKind::UnexpectedEnd,
            }),
        }
    }
}

/// Parses a condition; an empty one always holds.
impl std::str::FromStr for Expr {
    type Err = ParseError;
    fn from_str(src: &str) -> Result<Expr, ParseError> {
        parse(src)
    }
}

fn parse(src: &str) -> Result<Expr, ParseError> {
    let toks = lex(src)?;
    if toks.is_empty() {
        return Ok(Expr::True);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.chars().count(),
    };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return Err(ParseError {
            at: p.at(),
            kind: ParseErrorKind::Expected("and / or".into()),
        });
    }
    Ok(e)
}

/// The facts of one document that conditions are evaluated against.
pub type Facts = BTreeMap<String, Value>;

/// Evaluates a parsed condition. A field the document does not have makes its comparison false.
pub fn eval(e: &Expr, facts: &Facts) -> bool {
    match e {
        Expr::True => true,
        Expr::And(a, b) => eval(a, facts) && eval(b, facts),
        Expr::Or(a, b) => eval(a, facts) || eval(b, facts),
        Expr::Not(a) => !eval(a, facts),
        Expr::Cmp { field, op, values } => {
            let Some(actual) = facts.get(field) else {
                return false;
            };
            let eq = |v: &Value| match (actual, v) {
                (Value::Number(a), Value::Number(b)) => a == b,
                (Value::Text(a), Value::Text(b)) => a.eq_ignore_ascii_case(b),
                _ => false,
            };
            match op {
                CmpOp::Eq => values.first().is_some_and(eq),
                CmpOp::Ne => !values.first().is_some_and(eq),
                CmpOp::In => values.iter().any(eq),
                CmpOp::Gt | CmpOp::Ge | CmpOp::Lt | CmpOp::Le => match (actual, values.first()) {
                    (Value::Number(a), Some(Value::Number(b))) => match op {
                        CmpOp::Gt => a > b,
                        CmpOp::Ge => a >= b,
                        CmpOp::Lt => a < b,
                        _ => a <= b,
                    },
                    _ => false,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(amount: &str, plant: &str, purpose: &str) -> Facts {
        let mut f = Facts::new();
        f.insert(
            "amount".into(),
            Value::Number(Decimal::from_str(amount).expect("amount")),
        );
        f.insert("plant".into(), Value::Text(plant.into()));
        f.insert("purpose".into(), Value::Text(purpose.into()));
        f
    }

    #[test]
    fn conditions_evaluate_as_written() {
        let cases = [
            ("", "1", "KOL", "project", true),
            ("amount > 50000", "50000", "KOL", "project", false),
            ("amount > 50000", "50000.01", "KOL", "project", true),
            ("amount >= 50000", "50000", "KOL", "project", true),
            (
                "amount <= 1_000 and plant == 'KOL'",
                "1000",
                "KOL",
                "x",
                true,
            ),
            ("plant in [\"KOL\", \"VSK\"]", "1", "vsk", "x", true),
            ("plant in [\"KOL\", \"VSK\"]", "1", "MAIN", "x", false),
            (
                "not (purpose = 'project') or amount > 10",
                "5",
                "KOL",
                "project",
                false,
            ),
            (
                "purpose != 'project' and amount < 100",
                "5",
                "KOL",
                "daily_operations",
                true,
            ),
            (
                "amount > 10 or plant == 'X' and purpose == 'Y'",
                "11",
                "A",
                "B",
                true,
            ),
            ("category == 'IT'", "11", "A", "B", false),
        ];
        for (src, amount, plant, purpose, want) in cases {
            let e = parse(src).unwrap_or_else(|err| panic!("{src}: {err:?}"));
            assert_eq!(eval(&e, &facts(amount, plant, purpose)), want, "{src}");
        }
    }

    #[test]
    fn bad_conditions_say_what_and_where() {
        let cases = [
            ("amount >", ParseErrorKind::UnexpectedEnd),
            ("amont > 5", ParseErrorKind::UnknownField("amont".into())),
            (
                "amount > 'x'",
                ParseErrorKind::TypeMismatch("amount".into()),
            ),
            (
                "plant > 'KOL'",
                ParseErrorKind::TypeMismatch("plant".into()),
            ),
            (
                "amount > 5 amount",
                ParseErrorKind::Expected("and / or".into()),
            ),
            ("plant == 'KOL", ParseErrorKind::UnterminatedText),
            (
                "amount > 5; drop table x",
                ParseErrorKind::UnexpectedCharacter(';'),
            ),
            ("(amount > 5", ParseErrorKind::UnexpectedEnd),
            ("amount > 1.2.3", ParseErrorKind::BadNumber("1.2.3".into())),
        ];
        for (src, kind) in cases {
            assert_eq!(parse(src).map_err(|e| e.kind), Err(kind), "{src}");
        }
        assert_eq!(parse("amont > 5").map_err(|e| e.at), Err(0));
        assert_eq!(parse("amount > 5 amount").map_err(|e| e.at), Err(11));
        assert!(matches!(
            parse(&"a".repeat(3000)),
            Err(ParseError {
                kind: ParseErrorKind::TooLong,
                ..
            })
        ));
    }
}
