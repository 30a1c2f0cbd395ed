//! `.safetensors`: an 8-byte little-endian header length, a JSON header
//! `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {..}}`, then the data
//! buffer (little-endian, row-major). Offsets count from the buffer's start.

use std::io::{Read, Seek, SeekFrom};

use serde_json::{Map, Value};

use super::array::{self, ArrayInfo, Dtype, Element};
use super::error::{ReadError, excerpt};
use super::progress::Progress;
use super::{LABELS, SCORE_ARRAYS, SmallArray, finish, stream_length};
use crate::core::outcomes::data::ValidationData;

/// The safetensors format's own limit on the header.
const MAX_HEADER_BYTES: u64 = 100 << 20;

/// A tensor's description and where its bytes are, from the start of the file.
struct Tensor {
    array: ArrayInfo,
    start: u64,
}

/// Reads `logits` (or `probabilities`) and `labels` from a safetensors file.
pub(super) fn read_safetensors<R: Read + Seek>(
    mut input: R,
    file: &str,
    class_names: &[String],
    progress: &mut Progress<'_>,
) -> Result<ValidationData, ReadError> {
    let Header {
        base,
        length,
        entries: header,
        buffer_start,
        buffer_length,
    } = read_header(&mut input, file)?;
    let found = || {
        header
            .keys()
            .filter(|name| *name != "__metadata__")
            .map(|name| excerpt(name))
            .collect::<Vec<_>>()
    };
    let Some((scores, scores_entry)) = SCORE_ARRAYS
        .into_iter()
        .find_map(|array| header.get(array.name).map(|entry| (array, entry)))
    else {
        return Err(ReadError::MissingArray {
            file: file.to_owned(),
            wanted: "logits or probabilities".to_owned(),
            found: found(),
        });
    };
    let Some(labels_entry) = header.get(LABELS) else {
        return Err(ReadError::MissingArray {
            file: file.to_owned(),
            wanted: LABELS.to_owned(),
            found: found(),
        });
    };
    let scores_tensor = tensor(file, scores.name, scores_entry, buffer_length)?;
    let labels_tensor = tensor(file, LABELS, labels_entry, buffer_length)?;
    let layout = array::check_pair(
        &scores_tensor.array,
        &labels_tensor.array,
        class_names.len(),
    )?;
    progress.set_total(length)?;
    let at = |tensor: &Tensor| SeekFrom::Start(base + buffer_start + tensor.start);
    input
        .seek(at(&labels_tensor))
        .map_err(|error| ReadError::from_io(file, LABELS, error))?;
    let labels = array::read_labels(
        &mut input,
        &labels_tensor.array,
        layout.rows,
        layout.columns,
        progress,
    )?;
    input
        .seek(at(&scores_tensor))
        .map_err(|error| ReadError::from_io(file, scores.name, error))?;
    let values = array::read_scores(&mut input, &scores_tensor.array, layout, progress)?;
    finish(file, scores, layout, values, labels, class_names, progress)
}

/// A safetensors file's header, and where its data buffer lies.
struct Header {
    /// The reader's position at the start of the file.
    base: u64,
    /// Bytes from there to the end.
    length: u64,
    /// The JSON header.
    entries: Map<String, Value>,
    /// Where the data buffer starts, from `base`.
    buffer_start: u64,
    /// Bytes of the data buffer.
    buffer_length: u64,
}

/// Reads the length prefix and the JSON header, leaving `input` at the data buffer.
fn read_header<R: Read + Seek>(input: &mut R, file: &str) -> Result<Header, ReadError> {
    let (base, length) = stream_length(input, file)?;
    let mut prefix = [0_u8; 8];
    input
        .read_exact(&mut prefix)
        .map_err(|error| ReadError::from_io(file, "the safetensors header length", error))?;
    let header_length = u64::from_le_bytes(prefix);
    if header_length > MAX_HEADER_BYTES || header_length > length.saturating_sub(8) {
        return Err(ReadError::malformed(
            file,
            format!(
                "the safetensors header claims {header_length} bytes, the file has {} after the length",
                length.saturating_sub(8)
            ),
        ));
    }
    let mut header = vec![0_u8; usize::try_from(header_length).unwrap_or_default()];
    input
        .read_exact(&mut header)
        .map_err(|error| ReadError::from_io(file, "the safetensors header", error))?;
    let header: Map<String, Value> = serde_json::from_slice(&header).map_err(|error| {
        ReadError::malformed(
            file,
            format!("the safetensors header is not a JSON object: {error}"),
        )
    })?;
    let buffer_start = 8 + header_length;
    let buffer_length = length - buffer_start;
    Ok(Header {
        base,
        length,
        entries: header,
        buffer_start,
        buffer_length,
    })
}

/// Reads the small tensors `names` of a safetensors file (`None` for each that is missing).
pub(super) fn read_small_safetensors<R: Read + Seek>(
    mut input: R,
    file: &str,
    names: &[&str],
) -> Result<Vec<Option<SmallArray>>, ReadError> {
    let header = read_header(&mut input, file)?;
    let mut arrays = Vec::with_capacity(names.len());
    for &name in names {
        let Some(entry) = header.entries.get(name) else {
            arrays.push(None);
            continue;
        };
        let tensor = tensor(file, name, entry, header.buffer_length)?;
        input
            .seek(SeekFrom::Start(
                header.base + header.buffer_start + tensor.start,
            ))
            .map_err(|error| ReadError::from_io(file, name, error))?;
        let values = array::read_small(&mut input, &tensor.array)?;
        arrays.push(Some(SmallArray {
            shape: tensor.array.shape,
            values,
        }));
    }
    Ok(arrays)
}

/// Reads one tensor's entry and checks its offsets against its dtype, shape and the buffer.
fn tensor(file: &str, name: &str, entry: &Value, buffer_length: u64) -> Result<Tensor, ReadError> {
    let bad =
        |what: &str| ReadError::malformed(file, format!("tensor '{}': {what}", excerpt(name)));
    let Some(dtype) = entry.get("dtype").and_then(Value::as_str) else {
        return Err(bad("no dtype"));
    };
    let Some(shape) = entry
        .get("shape")
        .and_then(Value::as_array)
        .and_then(|dims| dims.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>())
    else {
        return Err(bad("no shape of non-negative integers"));
    };
    let offsets = entry
        .get("data_offsets")
        .and_then(Value::as_array)
        .and_then(|pair| pair.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>());
    let Some(&[begin, end]) = offsets.as_deref() else {
        return Err(bad("no data_offsets [begin, end]"));
    };
    let array = ArrayInfo {
        file: file.to_owned(),
        name: name.to_owned(),
        dtype: parse_dtype(dtype),
        shape,
        fortran: false,
    };
    if array.dtype.element.is_none() {
        return Err(ReadError::Dtype {
            file: file.to_owned(),
            array: name.to_owned(),
            dtype: array.dtype.text,
            expected: if name == LABELS {
                "an integer type"
            } else {
                "float32 or float64"
            },
        });
    }
    if begin > end || end > buffer_length {
        return Err(bad(&format!(
            "data_offsets [{begin}, {end}] run outside the {buffer_length} bytes of data"
        )));
    }
    let Some(needed) = array.payload_bytes() else {
        return Err(bad(&format!("shape {} is too large", array.shape_text())));
    };
    if end - begin != needed {
        return Err(bad(&format!(
            "data_offsets [{begin}, {end}] hold {} bytes, shape {} of {dtype} needs {needed}",
            end - begin,
            array.shape_text()
        )));
    }
    Ok(Tensor {
        array,
        start: begin,
    })
}

/// A safetensors dtype name (always little-endian).
fn parse_dtype(name: &str) -> Dtype {
    let element = match name {
        "F32" => Some(Element::F32),
        "F64" => Some(Element::F64),
        "I8" | "I16" | "I32" | "I64" | "U8" | "U16" | "U32" | "U64" => {
            let bits: usize = name.get(1..).and_then(|b| b.parse().ok()).unwrap_or(0);
            Some(Element::Int {
                signed: name.starts_with('I'),
                bytes: bits / 8,
            })
        }
        _ => None,
    };
    Dtype {
        element,
        big_endian: false,
        text: excerpt(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtypes_map_to_elements() {
        assert_eq!(parse_dtype("F32").element, Some(Element::F32));
        assert_eq!(
            parse_dtype("U16").element,
            Some(Element::Int {
                signed: false,
                bytes: 2
            })
        );
        assert_eq!(
            parse_dtype("I64").element,
            Some(Element::Int {
                signed: true,
                bytes: 8
            })
        );
        assert_eq!(parse_dtype("BF16").element, None);
        assert_eq!(parse_dtype("BOOL").element, None);
    }
}
