//! The `.npy` header (numpy `lib/format.py`): the magic `\x93NUMPY`, a version, the header
//! length (u16 in 1.0, u32 in 2.0 and 3.0) and a Python dict literal with `descr`,
//! `fortran_order` and `shape`. The data follows the header.

use std::io::Read;

use super::array::{ArrayInfo, Dtype, Element};
use super::error::{ReadError, excerpt};

/// The first six bytes of every `.npy`.
const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// Headers longer than this are refused as corrupt (numpy's own limit is 10 000 bytes by
/// default; a structured dtype with many fields can make them longer).
const MAX_HEADER_BYTES: usize = 1 << 20;
/// Literals nested deeper than this are refused (a real header nests 3 deep).
const MAX_DEPTH: usize = 16;

/// A parsed header.
#[derive(Clone, Debug)]
pub(super) struct NpyHeader {
    /// The array it describes.
    pub array: ArrayInfo,
    /// Bytes of the magic, version, length and header: where the data starts.
    pub header_bytes: u64,
}

/// Reads a `.npy` header from `reader`, leaving it at the start of the data. `file` and `array`
/// name what is read, for messages.
pub(super) fn read_header<R: Read + ?Sized>(
    reader: &mut R,
    file: &str,
    array: &str,
) -> Result<NpyHeader, ReadError> {
    let what = format!("{array}: the .npy header");
    let mut preamble = [0_u8; 8];
    read_prefix(reader, &mut preamble, file, array)?;
    let (magic, version) = preamble.split_at(6);
    if magic != MAGIC {
        return Err(ReadError::malformed(
            file,
            format!("{array}: not a .npy array (it does not start with \\x93NUMPY)"),
        ));
    }
    let (length_bytes, text_is_utf8) = match version {
        [1, 0] => (2, false),
        [2, 0] => (4, false),
        [3, 0] => (4, true),
        [major, minor] => {
            return Err(ReadError::malformed(
                file,
                format!(
                    "{array}: .npy format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)"
                ),
            ));
        }
        _ => return Err(ReadError::malformed(file, format!("{what} is corrupt"))),
    };
    let mut length = [0_u8; 4];
    let length_slice = length.get_mut(..length_bytes).unwrap_or_default();
    reader
        .read_exact(length_slice)
        .map_err(|error| ReadError::from_io(file, &what, error))?;
    let header_length = usize::try_from(u32::from_le_bytes(length)).unwrap_or(usize::MAX);
    if header_length > MAX_HEADER_BYTES {
        return Err(ReadError::malformed(
            file,
            format!("{what} claims {header_length} bytes, more than a real header holds"),
        ));
    }
    let mut text = vec![0_u8; header_length];
    reader
        .read_exact(&mut text)
        .map_err(|error| ReadError::from_io(file, &what, error))?;
    let text = if text_is_utf8 {
        String::from_utf8(text).ok()
    } else {
        // Latin-1: every byte is the code point of the same value.
        Some(text.into_iter().map(char::from).collect())
    };
    let Some(text) = text else {
        return Err(ReadError::malformed(
            file,
            format!("{what} is not UTF-8 text"),
        ));
    };
    let (dtype, fortran, shape) = parse_dict(&text)
        .map_err(|message| ReadError::malformed(file, format!("{what}: {message}")))?;
    Ok(NpyHeader {
        array: ArrayInfo {
            file: file.to_owned(),
            name: array.to_owned(),
            dtype,
            shape,
            fortran,
        },
        header_bytes: (6 + 2 + length_bytes + header_length) as u64,
    })
}

/// Reads the 8-byte preamble, telling an empty or short file apart from an I/O failure.
fn read_prefix<R: Read + ?Sized>(
    reader: &mut R,
    buffer: &mut [u8; 8],
    file: &str,
    array: &str,
) -> Result<(), ReadError> {
    let mut filled = 0;
    while filled < buffer.len() {
        let Some(rest) = buffer.get_mut(filled..) else {
            break;
        };
        match reader.read(rest) {
            Ok(0) => {
                return Err(ReadError::malformed(
                    file,
                    format!("{array}: not a .npy array (the file ends after {filled} bytes)"),
                ));
            }
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(ReadError::from_io(file, array, error)),
        }
    }
    Ok(())
}

/// A Python literal, as far as `.npy` headers use them.
#[derive(Clone, Debug, PartialEq)]
enum Literal {
    Str(String),
    Bool(bool),
    Int(u64),
    None,
    /// A tuple or a list.
    Sequence(Vec<Literal>),
    Dict(Vec<(Literal, Literal)>),
}

/// Parses the header dict into its dtype, Fortran flag and shape.
fn parse_dict(text: &str) -> Result<(Dtype, bool, Vec<u64>), String> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        position: 0,
    };
    let literal = parser.value(0)?;
    parser.skip_space();
    if parser.position < parser.bytes.len() {
        return Err(format!(
            "unexpected text after the dict at byte {}",
            parser.position
        ));
    }
    let Literal::Dict(entries) = literal else {
        return Err("not a dict".to_owned());
    };
    let get = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| matches!(k, Literal::Str(name) if name == key))
            .map(|(_, value)| value)
            .ok_or_else(|| format!("no '{key}'"))
    };
    let dtype = match get("descr")? {
        Literal::Str(descr) => parse_descr(descr),
        other => Dtype {
            element: None,
            big_endian: false,
            text: format!("{} (a structured dtype)", describe(other)),
        },
    };
    let Literal::Bool(fortran) = get("fortran_order")? else {
        return Err("'fortran_order' is not True or False".to_owned());
    };
    let Literal::Sequence(dims) = get("shape")? else {
        return Err("'shape' is not a tuple".to_owned());
    };
    let shape = dims
        .iter()
        .map(|dim| match dim {
            Literal::Int(value) => Ok(*value),
            _ => Err("'shape' holds something other than integers".to_owned()),
        })
        .collect::<Result<Vec<u64>, String>>()?;
    Ok((dtype, *fortran, shape))
}

/// A short text for a literal in a message.
fn describe(literal: &Literal) -> &'static str {
    match literal {
        Literal::Str(_) => "a string",
        Literal::Bool(_) => "a bool",
        Literal::Int(_) => "an integer",
        Literal::None => "None",
        Literal::Sequence(_) => "a list",
        Literal::Dict(_) => "a dict",
    }
}

/// Parses a numpy type string (`<f4`, `>i8`, `|u1`).
fn parse_descr(descr: &str) -> Dtype {
    let unknown = Dtype {
        element: None,
        big_endian: false,
        text: format!("'{}'", excerpt(descr)),
    };
    let mut chars = descr.chars();
    let (Some(order), Some(kind)) = (chars.next(), chars.next()) else {
        return unknown;
    };
    let Ok(bytes) = chars.as_str().parse::<usize>() else {
        return unknown;
    };
    let big_endian = match order {
        '<' => false,
        '>' => true,
        // '|' is "not applicable": one byte. '=' is native, little-endian on every machine
        // this builds for (numpy writes '<' or '>' itself).
        '|' if bytes == 1 => false,
        '=' => cfg!(target_endian = "big"),
        _ => return unknown,
    };
    let element = match (kind, bytes) {
        ('f', 4) => Element::F32,
        ('f', 8) => Element::F64,
        ('i', 1 | 2 | 4 | 8) => Element::Int {
            signed: true,
            bytes,
        },
        ('u', 1 | 2 | 4 | 8) => Element::Int {
            signed: false,
            bytes,
        },
        _ => return unknown,
    };
    Dtype {
        element: Some(element),
        big_endian,
        text: unknown.text,
    }
}

/// A recursive-descent parser of the Python literals in a header.
struct Parser<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.position += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Literal, String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".to_owned());
        }
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.dict(depth),
            Some(b'(') => self.sequence(b')', depth),
            Some(b'[') => self.sequence(b']', depth),
            Some(quote @ (b'\'' | b'"')) => self.string(quote),
            Some(b'0'..=b'9') => self.integer(),
            Some(b'A'..=b'Z' | b'a'..=b'z') => self.word(),
            Some(other) => Err(format!(
                "unexpected '{}' at byte {}",
                char::from(other).escape_default(),
                self.position
            )),
            None => Err("ends in the middle of a value".to_owned()),
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.position += 1;
            Ok(())
        } else {
            Err(format!(
                "expected '{}' at byte {}",
                char::from(byte),
                self.position
            ))
        }
    }

    /// After an item: a comma (then maybe the closing bracket), or the closing bracket.
    /// Returns whether the sequence is closed.
    fn separator(&mut self, close: u8) -> Result<bool, String> {
        self.skip_space();
        match self.peek() {
            Some(b',') => {
                self.position += 1;
                self.skip_space();
                if self.peek() == Some(close) {
                    self.position += 1;
                    return Ok(true);
                }
                Ok(false)
            }
            Some(byte) if byte == close => {
                self.position += 1;
                Ok(true)
            }
            _ => Err(format!(
                "expected ',' or '{}' at byte {}",
                char::from(close),
                self.position
            )),
        }
    }

    fn dict(&mut self, depth: usize) -> Result<Literal, String> {
        self.position += 1;
        let mut entries = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(Literal::Dict(entries));
        }
        loop {
            let key = self.value(depth + 1)?;
            self.expect(b':')?;
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            if self.separator(b'}')? {
                return Ok(Literal::Dict(entries));
            }
        }
    }

    fn sequence(&mut self, close: u8, depth: usize) -> Result<Literal, String> {
        self.position += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(close) {
            self.position += 1;
            return Ok(Literal::Sequence(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            if self.separator(close)? {
                return Ok(Literal::Sequence(items));
            }
        }
    }

    fn string(&mut self, quote: u8) -> Result<Literal, String> {
        self.position += 1;
        let mut text = Vec::new();
        loop {
            match self.peek() {
                None => return Err("a string is not closed".to_owned()),
                Some(byte) if byte == quote => {
                    self.position += 1;
                    break;
                }
                Some(b'\\') => {
                    // Escapes only appear in field names of structured dtypes, which are
                    // refused anyway: keep the escaped byte as it is.
                    self.position += 1;
                    if let Some(byte) = self.peek() {
                        text.push(byte);
                        self.position += 1;
                    }
                }
                Some(byte) => {
                    text.push(byte);
                    self.position += 1;
                }
            }
        }
        Ok(Literal::Str(String::from_utf8_lossy(&text).into_owned()))
    }

    fn integer(&mut self) -> Result<Literal, String> {
        let start = self.position;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.position += 1;
        }
        let digits = self.bytes.get(start..self.position).unwrap_or_default();
        let value = std::str::from_utf8(digits)
            .ok()
            .and_then(|text| text.parse::<u64>().ok())
            .ok_or_else(|| format!("the integer at byte {start} is too large"))?;
        // Python 2 wrote long integers with an `L`.
        if self.peek() == Some(b'L') {
            self.position += 1;
        }
        Ok(Literal::Int(value))
    }

    fn word(&mut self) -> Result<Literal, String> {
        let start = self.position;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.position += 1;
        }
        match self.bytes.get(start..self.position).unwrap_or_default() {
            b"True" => Ok(Literal::Bool(true)),
            b"False" => Ok(Literal::Bool(false)),
            b"None" => Ok(Literal::None),
            other => Err(format!(
                "unexpected '{}' at byte {start}",
                String::from_utf8_lossy(other)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(dict: &str) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend([1, 0]);
        bytes.extend(u16::try_from(dict.len()).unwrap().to_le_bytes());
        bytes.extend(dict.as_bytes());
        bytes
    }

    #[test]
    fn a_numpy_header_parses() {
        let bytes = header("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), }     \n");
        let parsed = read_header(&mut bytes.as_slice(), "a.npy", "logits").unwrap();
        assert_eq!(parsed.array.dtype.element, Some(Element::F32));
        assert!(!parsed.array.dtype.big_endian);
        assert_eq!(parsed.array.shape, [6, 4]);
        assert!(!parsed.array.fortran);
        assert_eq!(parsed.header_bytes, bytes.len() as u64);
    }

    #[test]
    fn python_2_longs_double_quotes_and_one_dimension_parse() {
        let bytes = header("{\"descr\": \">i8\", \"shape\": (7L,), \"fortran_order\": True}");
        let parsed = read_header(&mut bytes.as_slice(), "a.npy", "labels").unwrap();
        assert_eq!(
            parsed.array.dtype.element,
            Some(Element::Int {
                signed: true,
                bytes: 8
            })
        );
        assert!(parsed.array.dtype.big_endian);
        assert_eq!(parsed.array.shape, [7]);
        assert!(parsed.array.fortran);
    }

    #[test]
    fn unknown_and_structured_dtypes_keep_their_text() {
        assert_eq!(parse_descr("<c8").element, None);
        assert_eq!(parse_descr("<c8").text, "'<c8'");
        assert_eq!(parse_descr("<f2").element, None);
        assert_eq!(parse_descr("|b1").element, None);
        assert_eq!(parse_descr("|i2").element, None);
        let (dtype, _, _) =
            parse_dict("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}").unwrap();
        assert_eq!(dtype.element, None);
        assert_eq!(dtype.text, "a list (a structured dtype)");
    }

    #[test]
    fn malformed_headers_say_what_is_wrong() {
        let cases = [
            ("{'descr': '<f4', 'shape': (2,)}", "no 'fortran_order'"),
            (
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}",
                "'fortran_order' is not True or False",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'x')}",
                "'shape' holds something other than integers",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}",
                "the integer at byte 51 is too large",
            ),
            ("{'descr': '<f4'", "expected ',' or '}' at byte 15"),
            ("[[[[[[[[[[[[[[[[[[[[", "nested too deeply"),
            ("{} x", "unexpected text after the dict at byte 3"),
        ];
        for (dict, message) in cases {
            assert_eq!(parse_dict(dict).unwrap_err(), message, "{dict}");
        }
    }

    #[test]
    fn short_files_and_other_versions_are_refused_by_name() {
        let error = read_header(&mut &b"\x93NUM"[..], "a.npy", "logits").unwrap_err();
        assert_eq!(
            error.to_string(),
            "a.npy: logits: not a .npy array (the file ends after 4 bytes)"
        );
        let error =
            read_header(&mut &b"\x93NUMPY\x04\x00\x00\x00"[..], "a.npy", "logits").unwrap_err();
        assert_eq!(
            error.to_string(),
            "a.npy: logits: .npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)"
        );
        let error =
            read_header(&mut &b"PK\x03\x04\x00\x00\x00\x00"[..], "a.npy", "logits").unwrap_err();
        assert_eq!(
            error.to_string(),
            "a.npy: logits: not a .npy array (it does not start with \\x93NUMPY)"
        );
    }
}
