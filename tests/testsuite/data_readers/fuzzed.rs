//! Truncated and mutated bytes in every format: never a panic; data that holds together, or
//! an error that names the file.
use super::*;

/// A tiny xorshift generator (seeded, reproducible).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound as u64).unwrap()
    }
}

/// Reads `scores` (with `labels` for a `.npy`) and checks the outcome: consistent data, or a
/// typed error naming one of the two files; a panic is reported with what was read.
fn check_outcome(format: Format, scores: &[u8], labels: Option<&[u8]>, what: &str) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        read_bytes(
            scores,
            format,
            "fuzz.in",
            labels.map(|l| (l, "fuzz.labels")),
        )
    }))
    .unwrap_or_else(|_| panic!("{what}: the reader panicked"));
    match outcome {
        Ok(data) => {
            assert_eq!(data.classes, 4, "{what}");
            assert_eq!(data.scores.len(), data.samples() * 4, "{what}");
            assert!(data.samples() > 0, "{what}");
            assert!(data.labels.iter().all(|&label| label < 4), "{what}");
            assert!(
                (0..data.scores.len()).all(|i| data.scores.get(i).unwrap().is_finite()),
                "{what}"
            );
        }
        Err(error) => {
            let message = error.to_string();
            assert!(!error.is_io(), "{what}: {message}");
            assert!(
                message.starts_with("fuzz.in: ") || message.starts_with("fuzz.labels: "),
                "{what}: {message}"
            );
        }
    }
}

/// Every truncation of `bytes` and `mutations` seeded random edits (a flipped bit, a random
/// byte, a byte set to 0 or 0xff), through `read`.
fn fuzz(name: &str, bytes: &[u8], mutations: usize, mut read: impl FnMut(&[u8], &str)) {
    for length in 0..bytes.len() {
        read(&bytes[..length], &format!("{name} cut to {length} bytes"));
    }
    let mut random = XorShift(0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64);
    for round in 0..mutations {
        let mut mutated = bytes.to_vec();
        for _ in 0..=random.below(3) {
            let position = random.below(mutated.len());
            let [low, ..] = random.next().to_le_bytes();
            mutated[position] = match random.below(4) {
                0 => mutated[position] ^ (1 << (low % 8)),
                1 => low,
                2 => 0,
                _ => 0xff,
            };
        }
        read(&mutated, &format!("{name} mutation {round}"));
    }
}

const MUTATIONS: usize = 1500;

#[test]
fn fuzzed_npz_files_never_panic() {
    for name in [
        "stored.npz",
        "compressed.npz",
        "probabilities.npz",
        "no_labels.npz",
    ] {
        fuzz(name, &fixture_bytes(name), MUTATIONS, |bytes, what| {
            check_outcome(Format::Npz, bytes, None, what);
        });
    }
}

#[test]
fn fuzzed_npy_pairs_never_panic() {
    let pairs = [
        ("logits_f32.npy", "labels_i64.npy"),
        ("logits_be.npy", "labels_be.npy"),
        ("logits_fortran.npy", "labels_u8.npy"),
        ("logits_v2.npy", "labels_negative.npy"),
    ];
    for (scores_name, labels_name) in pairs {
        let scores = fixture_bytes(scores_name);
        let labels = fixture_bytes(labels_name);
        fuzz(scores_name, &scores, MUTATIONS, |bytes, what| {
            check_outcome(Format::Npy, bytes, Some(&labels), what);
        });
        fuzz(labels_name, &labels, MUTATIONS, |bytes, what| {
            check_outcome(Format::Npy, &scores, Some(bytes), what);
        });
    }
}

#[test]
fn fuzzed_safetensors_files_never_panic() {
    for name in ["outputs.safetensors", "probabilities.safetensors"] {
        fuzz(name, &fixture_bytes(name), MUTATIONS, |bytes, what| {
            check_outcome(Format::Safetensors, bytes, None, what);
        });
    }
}

#[test]
fn fuzzed_csv_files_never_panic() {
    for name in ["header_shuffled.csv", "no_header.csv"] {
        fuzz(name, &fixture_bytes(name), MUTATIONS, |bytes, what| {
            check_outcome(Format::Csv, bytes, None, what);
        });
    }
}

#[test]
fn the_fuzzed_inputs_include_valid_and_refused_ones() {
    // The fuzz loops above are only worth something if edits land in both outcomes.
    let bytes = fixture_bytes("stored.npz");
    let (mut valid, mut refused) = (0, 0);
    fuzz("stored.npz", &bytes, 300, |mutated, _| {
        match read_bytes(mutated, Format::Npz, "v.npz", None) {
            Ok(_) => valid += 1,
            Err(_) => refused += 1,
        }
    });
    assert!(
        valid > 10 && refused > 300,
        "{valid} valid, {refused} refused"
    );
}
