//! `.npz`: a zip (stored by `numpy.savez`, deflated by `savez_compressed`) of `.npy` members
//! named after their arrays. Each member is streamed through the zip reader into its vector.

use std::io::{Read, Seek};

use zip::ZipArchive;
use zip::result::ZipError;

use super::array::{self, ArrayInfo};
use super::error::{ReadError, excerpt};
use super::npy::{self, NpyHeader};
use super::progress::Progress;
use super::{LABELS, SCORE_ARRAYS, SmallArray, finish, stream_length};
use crate::core::outcomes::data::ValidationData;

/// Deflate expands at most about 1032 to 1: a member that claims more than this many times
/// its compressed size is corrupt (and is refused before any memory is given to it).
const MAX_DEFLATE_RATIO: u64 = 1032;

/// Reads `logits` (or `probabilities`) and `labels` from an `.npz` archive.
pub(super) fn read_npz<R: Read + Seek>(
    mut input: R,
    file: &str,
    class_names: &[String],
    progress: &mut Progress<'_>,
) -> Result<ValidationData, ReadError> {
    let (_, archive_bytes) = stream_length(&mut input, file)?;
    let mut archive = ZipArchive::new(input).map_err(|error| zip_error(file, "", error))?;
    let members: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(std::borrow::Cow::into_owned)
        .collect();
    let found = || {
        members
            .iter()
            .map(|name| excerpt(name.strip_suffix(".npy").unwrap_or(name)))
            .collect::<Vec<_>>()
    };
    let Some(scores) = SCORE_ARRAYS
        .into_iter()
        .find(|array| members.iter().any(|name| *name == member_name(array.name)))
    else {
        return Err(ReadError::MissingArray {
            file: file.to_owned(),
            wanted: "logits or probabilities".to_owned(),
            found: found(),
        });
    };
    if !members.iter().any(|name| *name == member_name(LABELS)) {
        return Err(ReadError::MissingArray {
            file: file.to_owned(),
            wanted: LABELS.to_owned(),
            found: found(),
        });
    }
    let scores_header = member_header(&mut archive, archive_bytes, file, scores.name)?;
    let labels_header = member_header(&mut archive, archive_bytes, file, LABELS)?;
    let layout = array::check_pair(
        &scores_header.array,
        &labels_header.array,
        class_names.len(),
    )?;
    let scores_bytes = payload_bytes(&scores_header.array)?;
    let labels_bytes = payload_bytes(&labels_header.array)?;
    progress.set_total(scores_bytes.saturating_add(labels_bytes))?;
    let labels = read_member(&mut archive, file, LABELS, |reader| {
        array::read_labels(
            reader,
            &labels_header.array,
            layout.rows,
            layout.columns,
            progress,
        )
    })?;
    let values = read_member(&mut archive, file, scores.name, |reader| {
        array::read_scores(reader, &scores_header.array, layout, progress)
    })?;
    finish(file, scores, layout, values, labels, class_names, progress)
}

/// Reads the small arrays `names` of an `.npz` archive (`None` for each that is missing).
pub(super) fn read_small_npz<R: Read + Seek>(
    mut input: R,
    file: &str,
    names: &[&str],
) -> Result<Vec<Option<SmallArray>>, ReadError> {
    let (_, archive_bytes) = stream_length(&mut input, file)?;
    let mut archive = ZipArchive::new(input).map_err(|error| zip_error(file, "", error))?;
    let mut arrays = Vec::with_capacity(names.len());
    for &name in names {
        if archive.index_for_name(&member_name(name)).is_none() {
            arrays.push(None);
            continue;
        }
        let header = member_header(&mut archive, archive_bytes, file, name)?;
        let values = read_member(&mut archive, file, name, |reader| {
            array::read_small(reader, &header.array)
        })?;
        arrays.push(Some(SmallArray {
            shape: header.array.shape,
            values,
        }));
    }
    Ok(arrays)
}

/// The name `numpy.savez` gives an array's member.
fn member_name(array: &str) -> String {
    format!("{array}.npy")
}

/// Reads a member's `.npy` header and checks the member's sizes against it and against the
/// archive's, so that no memory is given to sizes the file cannot hold.
fn member_header<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    archive_bytes: u64,
    file: &str,
    array: &str,
) -> Result<NpyHeader, ReadError> {
    let mut member = archive
        .by_name(&member_name(array))
        .map_err(|error| zip_error(file, array, error))?;
    let header = npy::read_header(&mut member, file, array)?;
    let declared = member.size();
    let compressed = member.compressed_size();
    let payload = payload_bytes(&header.array)?;
    let needed = header.header_bytes.saturating_add(payload);
    if declared != needed {
        return Err(ReadError::malformed(
            file,
            format!(
                "{array}: the member holds {declared} bytes, its header (shape {} of {}) needs {needed}",
                header.array.shape_text(),
                header.array.dtype.text
            ),
        ));
    }
    if compressed > archive_bytes
        || declared
            > compressed
                .saturating_mul(MAX_DEFLATE_RATIO)
                .saturating_add(1 << 16)
    {
        return Err(ReadError::malformed(
            file,
            format!(
                "{array}: the member claims {declared} bytes from {compressed} compressed bytes"
            ),
        ));
    }
    Ok(header)
}

/// The data bytes of an array, or an error when the dtype is unknown or the size overflows.
fn payload_bytes(array: &ArrayInfo) -> Result<u64, ReadError> {
    array.payload_bytes().ok_or_else(|| {
        if array.dtype.element.is_none() {
            ReadError::Dtype {
                file: array.file.clone(),
                array: array.name.clone(),
                dtype: array.dtype.text.clone(),
                expected: if array.name == LABELS {
                    "an integer type"
                } else {
                    "float32 or float64"
                },
            }
        } else {
            ReadError::malformed(
                &array.file,
                format!("{}: shape {} is too large", array.name, array.shape_text()),
            )
        }
    })
}

/// Opens a member again, skips its header, hands the reader at its data to `read`, then reads
/// on to the member's end so that the zip reader checks its CRC-32.
fn read_member<R: Read + Seek, T>(
    archive: &mut ZipArchive<R>,
    file: &str,
    array: &str,
    read: impl FnOnce(&mut dyn Read) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let mut member = archive
        .by_name(&member_name(array))
        .map_err(|error| zip_error(file, array, error))?;
    npy::read_header(&mut member, file, array)?;
    let value = read(&mut member)?;
    let mut rest = [0_u8; 1];
    match member.read(&mut rest) {
        Ok(0) => Ok(value),
        Ok(_) => Err(ReadError::malformed(
            file,
            format!("{array}: the member is longer than its header says"),
        )),
        Err(error) => Err(ReadError::from_io(file, array, error)),
    }
}

/// A zip failure as a read error: the system's I/O failures stay I/O, anything else means the
/// archive is not a valid `.npz`.
fn zip_error(file: &str, array: &str, error: ZipError) -> ReadError {
    let what = if array.is_empty() {
        "the archive".to_owned()
    } else {
        format!("{array}: the member")
    };
    match error {
        ZipError::Io(error) => ReadError::from_io(file, &what, error),
        other => ReadError::malformed(file, format!("not a valid .npz (zip) archive: {other}")),
    }
}
