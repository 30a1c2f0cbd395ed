//! Binary arrays (`.npy`, `.npz` members, safetensors tensors): their description, the checks
//! of dtype and shape, and reading their bytes straight into the destination vectors.

use std::io::Read;

use super::error::{Place, ReadError};
use super::progress::Progress;
use crate::core::outcomes::data::Scores;

/// Bytes read at a time (a multiple of every element size).
const CHUNK_BYTES: usize = 1 << 20;

/// The element types the readers know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Element {
    /// IEEE float32.
    F32,
    /// IEEE float64.
    F64,
    /// A two's-complement (`signed`) or unsigned integer of `bytes` bytes (1, 2, 4 or 8).
    Int {
        /// Whether negative values exist.
        signed: bool,
        /// 1, 2, 4 or 8.
        bytes: usize,
    },
}

impl Element {
    /// Bytes per element.
    pub(super) fn size(self) -> usize {
        match self {
            Self::F32 => 4,
            Self::F64 => 8,
            Self::Int { bytes, .. } => bytes,
        }
    }
}

/// An array's element type as the file gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Dtype {
    /// The element, or `None` when this reader does not know it (complex, float16, bool, ...).
    pub element: Option<Element>,
    /// Most significant byte first.
    pub big_endian: bool,
    /// As written in the file (`<f4`, `F32`), for messages.
    pub text: String,
}

/// One array of a file: enough to check it and to read its bytes.
#[derive(Clone, Debug)]
pub(super) struct ArrayInfo {
    /// The file, for messages.
    pub file: String,
    /// The array's name (`logits`, `probabilities`, `labels`).
    pub name: String,
    /// Its element type.
    pub dtype: Dtype,
    /// Its shape.
    pub shape: Vec<u64>,
    /// Column-major (`.npy` with `fortran_order: True`).
    pub fortran: bool,
}

impl ArrayInfo {
    /// The shape as Python writes it: `(6, 4)`, `(6,)`.
    pub(super) fn shape_text(&self) -> String {
        python_shape(&self.shape)
    }

    /// Elements times element size, or `None` when it overflows or the dtype is unknown.
    pub(super) fn payload_bytes(&self) -> Option<u64> {
        let size = u64::try_from(self.dtype.element?.size()).ok()?;
        self.shape
            .iter()
            .try_fold(size, |bytes, &dim| bytes.checked_mul(dim))
    }
}

/// A shape as Python writes it.
pub fn python_shape(shape: &[u64]) -> String {
    let dims: Vec<String> = shape.iter().map(u64::to_string).collect();
    match dims.as_slice() {
        [one] => format!("({one},)"),
        _ => format!("({})", dims.join(", ")),
    }
}

/// Samples and classes of a checked pair of arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Layout {
    /// Samples N.
    pub rows: usize,
    /// Classes C.
    pub columns: usize,
}

/// Checks the scores' and the labels' dtypes and shapes against each other and against the
/// preset's `classes`, in that order.
pub(super) fn check_pair(
    scores: &ArrayInfo,
    labels: &ArrayInfo,
    classes: usize,
) -> Result<Layout, ReadError> {
    if !matches!(scores.dtype.element, Some(Element::F32 | Element::F64)) {
        return Err(dtype_error(scores, "float32 or float64"));
    }
    if !matches!(labels.dtype.element, Some(Element::Int { .. })) {
        return Err(dtype_error(labels, "an integer type"));
    }
    let [rows, columns] = scores.shape[..] else {
        return Err(shape_error(scores, "(samples, classes)"));
    };
    let ([label_count] | [label_count, 1]) = labels.shape[..] else {
        return Err(shape_error(labels, "(samples,) or (samples, 1)"));
    };
    let too_big = || {
        ReadError::malformed(
            &scores.file,
            format!("{} is too large for this machine", scores.name),
        )
    };
    let rows = usize::try_from(rows).map_err(|_| too_big())?;
    let columns = usize::try_from(columns).map_err(|_| too_big())?;
    let label_count = usize::try_from(label_count).map_err(|_| too_big())?;
    if columns == 0 {
        return Err(shape_error(
            scores,
            "(samples, classes) with at least one class",
        ));
    }
    if columns != classes {
        return Err(ReadError::ClassCount {
            file: scores.file.clone(),
            array: scores.name.clone(),
            columns,
            classes,
        });
    }
    if rows != label_count {
        return Err(ReadError::LengthMismatch {
            file: scores.file.clone(),
            array: scores.name.clone(),
            rows,
            labels_file: labels.file.clone(),
            labels: label_count,
        });
    }
    if rows == 0 {
        return Err(ReadError::NoRows {
            file: scores.file.clone(),
        });
    }
    if rows.checked_mul(columns).is_none() {
        return Err(too_big());
    }
    Ok(Layout { rows, columns })
}

fn dtype_error(array: &ArrayInfo, expected: &'static str) -> ReadError {
    ReadError::Dtype {
        file: array.file.clone(),
        array: array.name.clone(),
        dtype: array.dtype.text.clone(),
        expected,
    }
}

fn shape_error(array: &ArrayInfo, expected: &'static str) -> ReadError {
    ReadError::Shape {
        file: array.file.clone(),
        array: array.name.clone(),
        shape: array.shape_text(),
        expected,
    }
}

/// Reads `count` elements of `size` bytes from `reader` in chunks, handing each chunk (whole
/// elements) to `sink` with the index of its first element.
fn read_chunks<R: Read + ?Sized>(
    reader: &mut R,
    array: &ArrayInfo,
    count: usize,
    size: usize,
    progress: &mut Progress<'_>,
    mut sink: impl FnMut(usize, &[u8]) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let elements_per_chunk = CHUNK_BYTES / size;
    let mut buffer = vec![0_u8; elements_per_chunk.min(count) * size];
    let mut first = 0;
    while first < count {
        let elements = elements_per_chunk.min(count - first);
        let Some(chunk) = buffer.get_mut(..elements * size) else {
            break;
        };
        reader
            .read_exact(chunk)
            .map_err(|error| ReadError::from_io(&array.file, &array.name, error))?;
        sink(first, chunk)?;
        first += elements;
        progress.advance(chunk.len() as u64)?;
    }
    Ok(())
}

/// A float element decoded from its bytes.
trait Float: Copy + Default {
    const SIZE: usize;
    fn from_le(bytes: &[u8]) -> Self;
    fn from_be(bytes: &[u8]) -> Self;
}

impl Float for f32 {
    const SIZE: usize = 4;
    fn from_le(bytes: &[u8]) -> Self {
        bytes.try_into().map_or(0.0, f32::from_le_bytes)
    }
    fn from_be(bytes: &[u8]) -> Self {
        bytes.try_into().map_or(0.0, f32::from_be_bytes)
    }
}

impl Float for f64 {
    const SIZE: usize = 8;
    fn from_le(bytes: &[u8]) -> Self {
        bytes.try_into().map_or(0.0, f64::from_le_bytes)
    }
    fn from_be(bytes: &[u8]) -> Self {
        bytes.try_into().map_or(0.0, f64::from_be_bytes)
    }
}

/// Reads the scores (already checked by [`check_pair`]) into a row-major vector of their own
/// precision; a Fortran-order array is transposed on the way.
pub(super) fn read_scores<R: Read + ?Sized>(
    reader: &mut R,
    array: &ArrayInfo,
    layout: Layout,
    progress: &mut Progress<'_>,
) -> Result<Scores, ReadError> {
    match array.dtype.element {
        Some(Element::F32) => read_floats(reader, array, layout, progress).map(Scores::F32),
        Some(Element::F64) => read_floats(reader, array, layout, progress).map(Scores::F64),
        _ => Err(dtype_error(array, "float32 or float64")),
    }
}

fn read_floats<T: Float, R: Read + ?Sized>(
    reader: &mut R,
    array: &ArrayInfo,
    layout: Layout,
    progress: &mut Progress<'_>,
) -> Result<Vec<T>, ReadError> {
    let count = layout.rows * layout.columns;
    let mut values = reserve::<T>(array, count)?;
    let big_endian = array.dtype.big_endian;
    let decode = |bytes: &[u8]| {
        if big_endian {
            T::from_be(bytes)
        } else {
            T::from_le(bytes)
        }
    };
    if array.fortran && layout.columns > 1 {
        // Column-major: element k is row k % N of column k / N.
        values.resize(count, T::default());
        read_chunks(reader, array, count, T::SIZE, progress, |first, bytes| {
            for (offset, element) in bytes.chunks_exact(T::SIZE).enumerate() {
                let index = first + offset;
                let (column, row) = (index / layout.rows, index % layout.rows);
                if let Some(slot) = values.get_mut(row * layout.columns + column) {
                    *slot = decode(element);
                }
            }
            Ok(())
        })?;
    } else {
        read_chunks(reader, array, count, T::SIZE, progress, |_, bytes| {
            let elements = bytes.chunks_exact(T::SIZE);
            if big_endian {
                values.extend(elements.map(T::from_be));
            } else {
                values.extend(elements.map(T::from_le));
            }
            Ok(())
        })?;
    }
    Ok(values)
}

/// An empty vector with room for `count` elements, or a typed error when the memory is not
/// there.
fn reserve<T>(array: &ArrayInfo, count: usize) -> Result<Vec<T>, ReadError> {
    let mut values = Vec::new();
    values
        .try_reserve_exact(count)
        .map_err(|_| ReadError::OutOfMemory {
            file: array.file.clone(),
            array: array.name.clone(),
            bytes: (count as u64).saturating_mul(std::mem::size_of::<T>() as u64),
        })?;
    Ok(values)
}

/// Reads `rows` integer labels, each checked to be a class index below `classes`.
pub(super) fn read_labels<R: Read + ?Sized>(
    reader: &mut R,
    array: &ArrayInfo,
    rows: usize,
    classes: usize,
    progress: &mut Progress<'_>,
) -> Result<Vec<u32>, ReadError> {
    let Some(Element::Int { signed, bytes }) = array.dtype.element else {
        return Err(dtype_error(array, "an integer type"));
    };
    let decode = integer_decoder(signed, bytes, array.dtype.big_endian);
    let mut labels = reserve::<u32>(array, rows)?;
    let classes_wide = i128::try_from(classes).unwrap_or(i128::MAX);
    read_chunks(reader, array, rows, bytes, progress, |first, chunk| {
        for (offset, element) in chunk.chunks_exact(bytes).enumerate() {
            let value = decode(element);
            let label = u32::try_from(value)
                .ok()
                .filter(|_| value < classes_wide)
                .ok_or_else(|| ReadError::LabelOutOfRange {
                    file: array.file.clone(),
                    place: Box::new(Place::Sample {
                        array: array.name.clone(),
                        row: first + offset,
                        column: None,
                    }),
                    value,
                    classes,
                })?;
            labels.push(label);
        }
        Ok(())
    })?;
    Ok(labels)
}

/// The most elements a small array ([`read_small`]) may have.
pub(super) const MAX_SMALL_ELEMENTS: u64 = 1 << 16;

/// Reads a small array (a run's `class_weights`, `seed`, `epoch`: at most
/// [`MAX_SMALL_ELEMENTS`] elements, of any float or integer dtype) as f64 values in storage
/// order.
pub(super) fn read_small<R: Read + ?Sized>(
    reader: &mut R,
    array: &ArrayInfo,
) -> Result<Vec<f64>, ReadError> {
    let Some(element) = array.dtype.element else {
        return Err(dtype_error(array, "a float or integer type"));
    };
    let count = array
        .shape
        .iter()
        .try_fold(1_u64, |count, &dim| count.checked_mul(dim))
        .unwrap_or(u64::MAX);
    if count > MAX_SMALL_ELEMENTS {
        return Err(shape_error(array, "at most 65536 elements"));
    }
    let size = element.size();
    let mut bytes = vec![0_u8; usize::try_from(count).unwrap_or_default() * size];
    reader
        .read_exact(&mut bytes)
        .map_err(|error| ReadError::from_io(&array.file, &array.name, error))?;
    let big_endian = array.dtype.big_endian;
    let values = bytes.chunks_exact(size);
    Ok(match element {
        Element::F32 if big_endian => values.map(|b| f64::from(f32::from_be(b))).collect(),
        Element::F32 => values.map(|b| f64::from(f32::from_le(b))).collect(),
        Element::F64 if big_endian => values.map(f64::from_be).collect(),
        Element::F64 => values.map(f64::from_le).collect(),
        Element::Int { signed, bytes } => {
            let decode = integer_decoder(signed, bytes, big_endian);
            #[allow(
                clippy::cast_precision_loss,
                reason = "a seed or an epoch beyond 2^53 is not one a user writes"
            )]
            values.map(|b| decode(b) as f64).collect()
        }
    })
}

/// The bytes of one element, as an array of `N` (zeros when the length differs, which the
/// callers' `chunks_exact` rules out).
fn bytes_of<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes.try_into().unwrap_or([0; N])
}

/// A decoder from an integer element's bytes to its value.
fn integer_decoder(signed: bool, bytes: usize, big_endian: bool) -> fn(&[u8]) -> i128 {
    match (signed, bytes, big_endian) {
        (true, 1, _) => |b| i8::from_le_bytes(bytes_of(b)).into(),
        (false, 1, _) => |b| u8::from_le_bytes(bytes_of(b)).into(),
        (true, 2, false) => |b| i16::from_le_bytes(bytes_of(b)).into(),
        (true, 2, true) => |b| i16::from_be_bytes(bytes_of(b)).into(),
        (false, 2, false) => |b| u16::from_le_bytes(bytes_of(b)).into(),
        (false, 2, true) => |b| u16::from_be_bytes(bytes_of(b)).into(),
        (true, 4, false) => |b| i32::from_le_bytes(bytes_of(b)).into(),
        (true, 4, true) => |b| i32::from_be_bytes(bytes_of(b)).into(),
        (false, 4, false) => |b| u32::from_le_bytes(bytes_of(b)).into(),
        (false, 4, true) => |b| u32::from_be_bytes(bytes_of(b)).into(),
        (true, _, false) => |b| i64::from_le_bytes(bytes_of(b)).into(),
        (true, _, true) => |b| i64::from_be_bytes(bytes_of(b)).into(),
        (false, _, false) => |b| u64::from_le_bytes(bytes_of(b)).into(),
        (false, _, true) => |b| u64::from_be_bytes(bytes_of(b)).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_written_as_python_does() {
        assert_eq!(python_shape(&[6]), "(6,)");
        assert_eq!(python_shape(&[6, 4]), "(6, 4)");
        assert_eq!(python_shape(&[]), "()");
    }

    #[test]
    fn integers_decode_in_both_byte_orders() {
        assert_eq!(integer_decoder(true, 1, false)(&[0xff]), -1);
        assert_eq!(integer_decoder(false, 1, true)(&[0xff]), 255);
        assert_eq!(integer_decoder(true, 2, true)(&[0xff, 0xfe]), -2);
        assert_eq!(integer_decoder(false, 2, false)(&[0x01, 0x02]), 0x0201);
        assert_eq!(
            integer_decoder(true, 4, false)(&[0xfd, 0xff, 0xff, 0xff]),
            -3
        );
        assert_eq!(integer_decoder(false, 4, true)(&[0, 0, 1, 0]), 256);
        assert_eq!(integer_decoder(true, 8, true)(&[0xff; 8]), -1);
        assert_eq!(
            integer_decoder(false, 8, false)(&[0xff; 8]),
            i128::from(u64::MAX)
        );
    }
}
