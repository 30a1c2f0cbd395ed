//! Writers of numpy and safetensors files for tests: hand-made inputs (including the refusals
//! numpy would not write) and run files.

use std::io::{Cursor, Write as _};

/// A version 1.0 `.npy` with this header and payload.
pub fn npy(descr: &str, fortran: bool, shape: &str, payload: &[u8]) -> Vec<u8> {
    let order = if fortran { "True" } else { "False" };
    let mut dict = format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}");
    while (10 + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend(u16::try_from(dict.len()).unwrap().to_le_bytes());
    bytes.extend(dict.as_bytes());
    bytes.extend(payload);
    bytes
}

pub fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn f64_bytes(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn i64_bytes(values: &[i64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A safetensors file of these tensors `(name, dtype, shape, data)`, in this order.
pub fn safetensors(tensors: &[(&str, &str, &[u64], &[u8])]) -> Vec<u8> {
    let mut entries = Vec::new();
    let mut offset = 0;
    for (name, dtype, shape, data) in tensors {
        let end = offset + data.len();
        entries.push(format!(
            r#""{name}":{{"dtype":"{dtype}","shape":{shape:?},"data_offsets":[{offset},{end}]}}"#
        ));
        offset = end;
    }
    let mut header = format!("{{{}}}", entries.join(","));
    while header.len() % 8 != 0 {
        header.push(' ');
    }
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend(header.as_bytes());
    for (_, _, _, data) in tensors {
        bytes.extend(*data);
    }
    bytes
}

/// A stored `.npz` of these members `(array name, .npy bytes)`.
pub fn npz(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in members {
        writer.start_file(format!("{name}.npy"), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A `.npy` of float32 `values` shaped `(rows, columns)`.
pub fn f32_matrix_npy(values: &[f32], columns: usize) -> Vec<u8> {
    let rows = values.len() / columns;
    npy(
        "<f4",
        false,
        &format!("({rows}, {columns})"),
        &f32_bytes(values),
    )
}

/// A `.npy` of int64 labels.
pub fn labels_npy(labels: &[i64]) -> Vec<u8> {
    npy(
        "<i8",
        false,
        &format!("({},)", labels.len()),
        &i64_bytes(labels),
    )
}

/// A `.npy` of one int64 scalar (shape `()`), as `np.savez(.., seed=3)` writes it.
pub fn scalar_npy(value: i64) -> Vec<u8> {
    npy("<i8", false, "()", &i64_bytes(&[value]))
}

/// A run file as `numpy.savez` writes it: `logits`, `labels`, `class_weights` (float64) and
/// the scalars given.
pub fn run_npz(
    logits: &[f32],
    classes: usize,
    labels: &[i64],
    class_weights: &[f64],
    seed: Option<i64>,
    epoch: Option<i64>,
) -> Vec<u8> {
    let logits = f32_matrix_npy(logits, classes);
    let labels = labels_npy(labels);
    let weights = npy(
        "<f8",
        false,
        &format!("({},)", class_weights.len()),
        &f64_bytes(class_weights),
    );
    let seed = seed.map(scalar_npy);
    let epoch = epoch.map(scalar_npy);
    let mut members: Vec<(&str, &[u8])> = vec![
        ("logits", &logits),
        ("labels", &labels),
        ("class_weights", &weights),
    ];
    if let Some(seed) = &seed {
        members.push(("seed", seed));
    }
    if let Some(epoch) = &epoch {
        members.push(("epoch", epoch));
    }
    npz(&members)
}
