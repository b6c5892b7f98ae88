//! What the page and its worker say to each other: the requests, the responses, and their
//! bytes.
//!
//! The worker owns the pipeline: one [`Request::Import`] carries the file (beside the bytes)
//! and the analysis and model settings, and the worker imports, analyses and predicts in
//! that order, answering each stage as it is ready:
//!
//! `Progress(Reading)`, `Progress(Importing)`…, `Imported`, then, when the import
//! succeeded, `Progress(Analysing)`, `Analysed`, `Progress(Predicting)`, `Predicted`.
//!
//! A settings change re-runs only what it affects: [`Request::Analyse`] the analysis,
//! [`Request::Predict`] the prediction. Each is answered by exactly one `Analysed` or
//! `Predicted` (the one held when the settings did not change), or by `Failed` when nothing
//! is imported.
//!
//! The bytes: a four-byte header (`LTV` and the protocol version), then the message in
//! postcard (a compact serde format, kept up; it replaced bincode 1, which is unmaintained:
//! RUSTSEC-2025-0141).
//!
//! Every message carries the header, so the first message each way is checked as well as the
//! rest: a page and a worker of different builds (an old worker script still cached after a
//! deploy, say) never read each other's bytes as garbage; the side that sees another version
//! says [`crate::i18n::APP_UPDATED`].

use ltv_core::analysis::compare::{GroupComparison, Period, PeriodComparison};
use ltv_core::analysis::export::CsvEncoding;
use ltv_core::analysis::segments::Segment;
use ltv_core::analysis::{Analysis, AnalysisParams, LaterViews};
use ltv_core::forecast::Forecast;
use ltv_core::import::{ImportError, ImportOptions, ImportReport, PartRows, Sniff, PART_COLUMNS};
use ltv_core::model::{
    AliveThresholds, ModelError, ModelParams, PurchaseFit, PurchaseModel, RefitAsk, Refitted,
    SummaryGroup,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The version of [`Request`] and [`Response`]: raise it whenever either changes shape.
pub const PROTOCOL: u8 = 13;

const MAGIC: &[u8; 3] = b"LTV";

/// The version tag of the worker's files, appended to their URLs so that after a deploy the
/// browser fetches the new worker instead of a cached old one.
pub const WORKER_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "-p13");

/// The settings a run of the pipeline uses after the import.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The analysis settings; the 基準日 of a new file is its own last order day.
    pub analysis: AnalysisParams,
    /// The 予測LTV settings; the calibration end of a new file is chosen from its dates
    /// ([`ltv_core::forecast::initial_calibration_end`]).
    pub model: ModelParams,
    pub alive: AliveThresholds,
}

/// What the page asks of the worker. The variants' order is their tag in the bytes: Import
/// is 1 (the crash test's dying worker reads it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Look at the start of the file (sent beside) and say what it is.
    Sniff { options: ImportOptions },
    /// Read the whole file (sent beside), keep its order table, then analyse and predict.
    /// Whatever the worker held before is dropped first.
    Import {
        options: ImportOptions,
        settings: Settings,
    },
    /// Analyse the imported orders with these settings (no re-reading of the file).
    Analyse { params: AnalysisParams },
    /// Predict with these settings (the models are fitted again only when `params` changed).
    Predict {
        params: ModelParams,
        alive: AliveThresholds,
    },
    /// The rejected rows of the last import, as a CSV file.
    RejectedRowsCsv,
    /// The per-customer table of the last analysis, all customers or one segment.
    CustomersCsv {
        encoding: CsvEncoding,
        segment: Option<Segment>,
    },
    /// The summary JSON of the last analysis (with the model, when there is one).
    SummaryJson,
    /// 施策の効果検証: two periods of the imported orders side by side (F2 days and the
    /// analysis date of the last analysis).
    ComparePeriods { before: Period, after: Period },
    /// A pasted or uploaded list of customers against everyone else from `since` on.
    CompareGroup {
        list: String,
        since: ltv_core::orders::Day,
    },
    /// Nothing to answer: the page has laid out the analysis it was sent last (its headline,
    /// then the parts below, a few to a frame). After an import whose slowest fits went to
    /// fitters, the worker makes its own fits only then (or once a fitter has answered), so
    /// that the page's layout does not share the cores with two fits.
    Shown,
    /// Nothing to answer: run the pipeline a few times on a small made-up export, so that the
    /// file chosen later is read by well-compiled code. Sent when the CSV page opens, while the
    /// user looks for the file; a worker that has warmed up once does nothing.
    WarmUp,
    /// To a helper worker (started by the worker, never by the page): read part `index` of
    /// `count` of the file sent beside, for import number `import`; answered by a
    /// [`PartAnswer`].
    ReadPart {
        options: ImportOptions,
        import: u32,
        index: u32,
        count: u32,
    },
    /// To a helper worker: fit `model` on the calibration period's `groups` for prediction
    /// number `job`; answered by a [`FitAnswer`]. The worker fits the other models meanwhile.
    Fit {
        job: u32,
        model: PurchaseModel,
        #[serde(with = "packed_groups")]
        groups: Vec<SummaryGroup>,
    },
    /// To the helper fitting `model` for prediction number `job`, sent while it fits: once
    /// that fit is made, the model fitted again from it on the whole history's `groups`
    /// ([`ltv_core::model::refit`]), in case the model is chosen; answered by a
    /// [`RefitAnswer`].
    Refit {
        job: u32,
        model: PurchaseModel,
        #[serde(with = "packed_groups")]
        groups: Vec<SummaryGroup>,
    },
}

/// The groups of a fit or a refit travel packed in one byte string: their count, then each
/// group's four numbers, each in LEB128 (seven bits a byte, the low ones first). Made and read
/// in a loop of their own rather than by serde field by field, they take about half the time
/// (120,788 groups natively: 2.4 ms to write and 2.2 to read, against 3.5–5 and 4.6–7), in as
/// many bytes. They are read into a vector made at once for their number, so that a fitter's
/// memory holds them once (a count beyond what the bytes can hold is not believed). The
/// `leb128` crate was tried for the numbers: it writes through `io::Write` a byte at a time,
/// 5.1 ms for the same groups, and reads them in 2.7.
mod packed_groups {
    use super::SummaryGroup;

    pub fn serialize<S: serde::Serializer>(
        groups: &[SummaryGroup],
        to: S,
    ) -> Result<S::Ok, S::Error> {
        to.serialize_bytes(&pack(groups))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        from: D,
    ) -> Result<Vec<SummaryGroup>, D::Error> {
        struct Packed;
        impl serde::de::Visitor<'_> for Packed {
            type Value = Vec<SummaryGroup>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("groups packed in bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
                unpack(bytes).ok_or_else(|| E::custom("groups packed wrongly"))
            }
        }
        from.deserialize_bytes(Packed)
    }

    pub(super) fn pack(groups: &[SummaryGroup]) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(10 + groups.len() * 8);
        put(&mut bytes, groups.len() as u64);
        for g in groups {
            put(&mut bytes, g.frequency);
            put(&mut bytes, g.recency_days.into());
            put(&mut bytes, g.age_days.into());
            put(&mut bytes, g.weight);
        }
        bytes
    }

    pub(super) fn unpack(mut bytes: &[u8]) -> Option<Vec<SummaryGroup>> {
        let count = usize::try_from(take(&mut bytes)?).ok()?;
        // A group takes four bytes at least.
        let mut groups = Vec::with_capacity(count.min(bytes.len() / 4));
        for _ in 0..count {
            groups.push(SummaryGroup {
                frequency: take(&mut bytes)?,
                recency_days: u32::try_from(take(&mut bytes)?).ok()?,
                age_days: u32::try_from(take(&mut bytes)?).ok()?,
                weight: take(&mut bytes)?,
            });
        }
        bytes.is_empty().then_some(groups)
    }

    fn put(bytes: &mut Vec<u8>, mut value: u64) {
        while value >= 0x80 {
            bytes.push(value as u8 | 0x80);
            value >>= 7;
        }
        bytes.push(value as u8);
    }

    /// The next number; `None` past the end or beyond 64 bits.
    fn take(bytes: &mut &[u8]) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = bytes.split_first()?;
            *bytes = rest;
            let bits = u64::from(byte & 0x7f);
            if bits.checked_shl(shift)? >> shift != bits {
                return None;
            }
            value |= bits << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }
}

/// What a helper worker answers: a part of the file, or a model's fit.
#[derive(Debug, Serialize, Deserialize)]
pub enum HelperAnswer {
    Part(Box<PartAnswer>),
    Fit(FitAnswer),
    Refit(Box<RefitAnswer>),
}

/// A helper worker's answer to [`Request::Refit`].
#[derive(Debug, Serialize, Deserialize)]
pub struct RefitAnswer {
    pub job: u32,
    /// What the refit was made for, and the refit; `None` when the helper had not fitted
    /// the model for that prediction.
    pub refit: Option<(RefitAsk, Refitted)>,
    /// As [`FitAnswer::memory_asked`].
    pub memory_asked: u64,
    /// As [`FitAnswer::memory`].
    pub memory: u64,
}

/// A helper worker's answer to [`Request::Fit`].
#[derive(Debug, Serialize, Deserialize)]
pub struct FitAnswer {
    pub job: u32,
    pub model: PurchaseModel,
    pub result: Result<PurchaseFit, ModelError>,
    /// The helper's WebAssembly memory when the request came, in bytes: what it held since
    /// its last answer.
    pub memory_asked: u64,
    /// The helper's WebAssembly memory when it answered, in bytes (as [`PartAnswer::memory`]).
    pub memory: u64,
}

/// A helper worker's answer to [`Request::ReadPart`]: the part's rows, to be joined by the
/// worker that asked.
///
/// It travels in two halves: its protocol bytes ([`to_bytes`]), which leave out the rows'
/// long columns, and beside them each long column in a buffer of its own
/// ([`PartAnswer::columns`]), filled in again on arrival ([`PartAnswer::with_columns`]).
/// Neither worker then holds the part twice over, nor its bytes in a message grown by
/// doubling.
#[derive(Debug, Serialize, Deserialize)]
pub struct PartAnswer {
    pub import: u32,
    pub index: u32,
    pub result: Result<PartRows, ImportError>,
    /// The helper's WebAssembly memory when it answered, in bytes: its peak, as that memory
    /// only grows ([`MemoryPeak`](super::engine::MemoryPeak)). 0 where not measured.
    pub memory: u64,
}

/// A buffer one long column of a [`PartAnswer`] travels in, beside its protocol bytes: a
/// `Vec<u8>` natively, a `Uint8Array` of the message in the worker's glue.
pub trait ColumnBuffer: Sized {
    /// A buffer of `len` bytes.
    fn of_len(len: usize) -> Self;
    /// The buffer's length in bytes.
    fn byte_len(&self) -> usize;
    /// Copies `bytes` in at `at`.
    fn put(&mut self, at: usize, bytes: &[u8]);
    /// Copies the bytes from `at` on into `out`.
    fn take(&self, at: usize, out: &mut [u8]);
}

impl ColumnBuffer for Vec<u8> {
    fn of_len(len: usize) -> Self {
        vec![0; len]
    }

    fn byte_len(&self) -> usize {
        self.len()
    }

    fn put(&mut self, at: usize, bytes: &[u8]) {
        self[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn take(&self, at: usize, out: &mut [u8]) {
        out.copy_from_slice(&self[at..at + out.len()]);
    }
}

/// The pieces the long columns of a [`PartAnswer`] are copied in, to and from their buffers.
const COLUMN_PIECE: usize = 64 * 1024;

impl PartAnswer {
    /// The rows' long columns, each in a buffer of its own, copied there a piece at a time
    /// (none for an error). They go beside the answer's protocol bytes ([`to_bytes`]), which
    /// leave them out.
    pub fn columns<C: ColumnBuffer>(&self) -> Vec<C> {
        let Ok(rows) = &self.result else {
            return (0..PART_COLUMNS).map(|_| C::of_len(0)).collect();
        };
        (0..PART_COLUMNS)
            .zip(rows.column_lens())
            .map(|(k, len)| {
                let mut column = C::of_len(len);
                rows.write_column(k, COLUMN_PIECE, &mut |at, bytes| column.put(at, bytes));
                column
            })
            .collect()
    }

    /// The answer decoded from its protocol bytes, with the columns that came beside them
    /// ([`PartAnswer::columns`]) filled in again; `None` when they do not fit it.
    pub fn with_columns<C: ColumnBuffer>(mut self, columns: &[C]) -> Option<Self> {
        if columns.len() != PART_COLUMNS {
            return None;
        }
        let lens: [usize; PART_COLUMNS] = std::array::from_fn(|k| columns[k].byte_len());
        let filled = match &mut self.result {
            Ok(rows) => rows.read_columns(lens, COLUMN_PIECE, &mut |k, at, out| {
                columns[k].take(at, out)
            }),
            Err(_) => lens == [0; PART_COLUMNS],
        };
        filled.then_some(self)
    }
}

impl HelperAnswer {
    /// The long columns that travel beside the answer's protocol bytes: a part's
    /// ([`PartAnswer::columns`]); none for a fit.
    pub fn columns<C: ColumnBuffer>(&self) -> Vec<C> {
        match self {
            HelperAnswer::Part(part) => part.columns(),
            HelperAnswer::Fit(_) | HelperAnswer::Refit(_) => Vec::new(),
        }
    }

    /// The answer decoded from its protocol bytes, with the columns that came beside them;
    /// `None` when they do not fit it.
    pub fn with_columns<C: ColumnBuffer>(self, columns: &[C]) -> Option<Self> {
        match self {
            HelperAnswer::Part(part) => part
                .with_columns(columns)
                .map(|part| HelperAnswer::Part(Box::new(part))),
            HelperAnswer::Fit(fit) => columns.is_empty().then_some(HelperAnswer::Fit(fit)),
            HelperAnswer::Refit(refit) => columns.is_empty().then_some(HelperAnswer::Refit(refit)),
        }
    }

    /// Sets the helper's memory, as its glue measures it.
    pub fn set_memory(&mut self, bytes: u64) {
        match self {
            HelperAnswer::Part(part) => part.memory = bytes,
            HelperAnswer::Fit(fit) => fit.memory = bytes,
            HelperAnswer::Refit(refit) => refit.memory = bytes,
        }
    }
}

/// A [`HelperAnswer`] as the worker it is sent to reads it, natively (the warm-up, tests):
/// encoded as the glue posts it ([`answer_to_bytes`]) and decoded again.
pub fn answer_sent(answer: &HelperAnswer) -> Option<HelperAnswer> {
    let (head, columns) = answer_to_bytes(answer)?;
    answer_from_bytes(&head, &columns)
}

/// A [`HelperAnswer`] as plain bytes, natively (tests, tools): its protocol bytes and its
/// long columns, as the worker's glue sends them in its message.
pub fn answer_to_bytes(answer: &HelperAnswer) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    Some((to_bytes(answer)?, answer.columns()))
}

/// The answer [`answer_to_bytes`] gave; `None` when it cannot be read.
pub fn answer_from_bytes(head: &[u8], columns: &[Vec<u8>]) -> Option<HelperAnswer> {
    from_bytes::<HelperAnswer>(head).ok()?.with_columns(columns)
}

/// A stage of the work, for the progress bar and the performance marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Importing,
    Analysing,
    Predicting,
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    Sniffed(Result<Box<Sniff>, ImportError>),
    /// A stage has started (`fraction` 0) or got this far.
    Progress {
        stage: Stage,
        fraction: f64,
    },
    Imported(Result<Box<ImportReport>, ImportError>),
    /// The analysis, made with `analysis.params`: every view, or after an import those of the
    /// first screen ([`Analysis::later_pending`]), the others following the prediction as
    /// [`Response::LaterViews`]. The per-customer rows stay in the worker (for the exports).
    Analysed(Box<Analysis>),
    /// The views below the first screen of the analysis last sent, when it came without them
    /// ([`Analysis::later_pending`]).
    LaterViews(Box<LaterViews>),
    /// The prediction as the page shows it, made with these settings; the per-customer
    /// predictions stay in the worker.
    Predicted {
        params: ModelParams,
        alive: AliveThresholds,
        forecast: Result<Box<Forecast>, ModelError>,
    },
    /// Two periods side by side.
    ComparedPeriods(Box<PeriodComparison>),
    /// A listed group against everyone else.
    ComparedGroup(Box<GroupComparison>),
    /// A file to download.
    File {
        name: String,
        mime: String,
        bytes: Vec<u8>,
    },
    /// The request could not be carried out (Japanese, for the user).
    Failed(String),
}

/// Why a message could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The other side speaks another version (`None`: no header of this protocol at all).
    Version(Option<u8>),
    /// The right version, but not a message of it.
    Malformed,
}

/// A message as bytes: header, then postcard.
pub fn to_bytes<T: Serialize>(message: &T) -> Option<Vec<u8>> {
    to_bytes_as(PROTOCOL, message)
}

fn to_bytes_as<T: Serialize>(version: u8, message: &T) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(64);
    bytes.extend_from_slice(MAGIC);
    bytes.push(version);
    postcard::to_extend(message, bytes).ok()
}

/// A message that [`to_bytes`] made, checked against this build's [`PROTOCOL`].
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    match bytes {
        [m0, m1, m2, version, rest @ ..] if [*m0, *m1, *m2] == *MAGIC => {
            if *version != PROTOCOL {
                return Err(DecodeError::Version(Some(*version)));
            }
            postcard::from_bytes(rest).map_err(|_| DecodeError::Malformed)
        }
        _ => Err(DecodeError::Version(None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_core::analysis::analyse;
    use ltv_core::forecast::forecast;
    use ltv_core::import::{import, made_up_export, sample_export, sniff};
    use ltv_core::model::{predict, ModelErrorKind};

    /// Decodes what it encoded, and encodes that to the same bytes (compared as bytes: an
    /// analysis holds NaN figures, not equal to themselves).
    fn round_trip<T: Serialize + DeserializeOwned + std::fmt::Debug>(message: &T) -> T {
        let bytes = to_bytes(message).expect("encodes");
        assert_eq!(&bytes[..4], [b'L', b'T', b'V', PROTOCOL]);
        let back = from_bytes::<T>(&bytes).expect("decodes");
        assert_eq!(to_bytes(&back), Some(bytes), "{message:?}");
        back
    }

    /// A fit's groups arrive in a vector of just their number (a fitter's memory holds
    /// them once, not in a vector grown by doubling), and as they were sent.
    #[test]
    fn a_fit_s_groups_arrive_in_one_piece() {
        let groups: Vec<SummaryGroup> = (0..100_000u32)
            .map(|k| SummaryGroup {
                frequency: u64::from(k % 50),
                recency_days: k % 700,
                age_days: 700 + k % 30,
                weight: 1 + u64::from(k % 7),
            })
            .collect();
        let request = Request::Fit {
            job: 4,
            model: ltv_core::model::PurchaseModel::ParetoNbd,
            groups: groups.clone(),
        };
        let Request::Fit { groups: back, .. } = round_trip(&request) else {
            panic!("a fit");
        };
        assert_eq!(back, groups);
        assert_eq!(back.capacity(), back.len());
    }

    /// Groups packed ([`packed_groups`]) come back as they went, from the smallest numbers to
    /// the largest each field holds (and none); bytes cut short, with bytes left over, with a
    /// number beyond 64 bits or a day beyond 32, or with a count the bytes cannot hold are
    /// refused, not read as other groups.
    #[test]
    fn packed_groups_come_back_as_they_went_and_bad_bytes_are_refused() {
        let groups = vec![
            SummaryGroup {
                frequency: 0,
                recency_days: 0,
                age_days: 0,
                weight: 1,
            },
            SummaryGroup {
                frequency: 127,
                recency_days: 128,
                age_days: 16_383,
                weight: 16_384,
            },
            SummaryGroup {
                frequency: u64::MAX,
                recency_days: u32::MAX,
                age_days: u32::MAX,
                weight: u64::MAX,
            },
        ];
        for groups in [Vec::new(), groups] {
            let bytes = packed_groups::pack(&groups);
            let back = packed_groups::unpack(&bytes).expect("unpacks");
            assert_eq!(back, groups);
            assert_eq!(back.capacity(), back.len());
            if let Some(cut) = bytes.len().checked_sub(1).filter(|&n| n > 0) {
                assert_eq!(packed_groups::unpack(&bytes[..cut]), None, "cut short");
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert_eq!(packed_groups::unpack(&longer), None, "bytes left over");
        }
        // One group whose frequency has bits beyond the 64th in its tenth byte, or an eleventh
        // byte.
        for tail in [&[0x7f][..], &[0xff, 0x01]] {
            let mut too_big = vec![1];
            too_big.extend([0xff; 9]);
            too_big.extend(tail);
            too_big.extend([0, 0, 1]);
            assert_eq!(
                packed_groups::unpack(&too_big),
                None,
                "beyond 64 bits: {tail:?}"
            );
        }
        // A day of 2³² (five bytes: 0x80 0x80 0x80 0x80 0x10).
        let day_too_big = [1, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 1];
        assert_eq!(
            packed_groups::unpack(&day_too_big),
            None,
            "a day beyond 32 bits"
        );
        // A count of a billion groups in a few bytes.
        let mut count = Vec::new();
        let mut n: u64 = 1_000_000_000;
        while n >= 0x80 {
            count.push(n as u8 | 0x80);
            n >>= 7;
        }
        count.push(n as u8);
        count.extend([0, 0, 0, 1]);
        assert_eq!(
            packed_groups::unpack(&count),
            None,
            "a count the bytes cannot hold"
        );
    }

    /// A refit's groups, the whole history's made ahead, arrive as they were sent, in a vector
    /// of their number.
    #[test]
    fn a_refit_s_groups_arrive_in_one_piece() {
        let options = ImportOptions::new();
        let sample = ltv_core::import::sample_export();
        let table = ltv_core::import::import(sample, &options, &mut |_| true)
            .unwrap()
            .table;
        let (first, last) = table.date_range().unwrap();
        let end = ltv_core::forecast::initial_calibration_end(first, last);
        let params = ModelParams::new().with_calibration_end(end);
        let start = ltv_core::model::start_prediction(&table, None, &params).unwrap();
        let groups = start.whole_groups(&table, None).expect("a holdout");
        assert!(groups.len() > 100, "{}", groups.len());
        let request = Request::Refit {
            job: 2,
            model: ltv_core::model::PurchaseModel::ParetoNbd,
            groups: groups.clone(),
        };
        let Request::Refit { groups: back, .. } = round_trip(&request) else {
            panic!("a refit");
        };
        assert_eq!(back, groups);
        assert_eq!(back.capacity(), back.len());
    }

    /// A helper's answer travels as its protocol bytes and its columns beside them: both
    /// halves give back the same part, and columns of the wrong length are refused (the
    /// worker then reads the part itself).
    #[test]
    fn a_part_answer_travels_with_its_columns() {
        let bytes = sample_export();
        let options = ImportOptions::new();
        let mut source = bytes;
        let part = ltv_core::import::read_part(&mut source, &options, 1, 2, &mut |_| true)
            .expect("the sample's second half reads");
        let answer = HelperAnswer::Part(Box::new(PartAnswer {
            import: 4,
            index: 1,
            result: Ok(part.into_rows()),
            memory: 5 << 20,
        }));
        let (head, columns) = answer_to_bytes(&answer).expect("encodes");
        assert_eq!(columns.len(), PART_COLUMNS);
        assert!(
            columns[0].len() >= 24 * 10,
            "the rows go beside the protocol bytes"
        );
        assert!(head.len() < columns[0].len());
        let back = answer_from_bytes(&head, &columns).expect("decodes");
        assert!(matches!(&back, HelperAnswer::Part(part) if part.memory == 5 << 20));
        assert_eq!(
            answer_to_bytes(&back),
            Some((head.clone(), columns.clone()))
        );

        let mut short = columns.clone();
        short[0].pop();
        assert!(answer_from_bytes(&head, &short).is_none());
        assert!(answer_from_bytes(&head, &columns[..PART_COLUMNS - 1]).is_none());
        let failed = HelperAnswer::Part(Box::new(PartAnswer {
            import: 4,
            index: 1,
            result: Err(ltv_core::import::ImportErrorKind::Cancelled.into()),
            memory: 0,
        }));
        let (head, none) = answer_to_bytes(&failed).expect("encodes");
        assert!(none.iter().all(Vec::is_empty));
        assert!(answer_from_bytes(&head, &none).is_some());
        assert!(answer_from_bytes(&head, &columns).is_none());
    }

    /// A fit made by a helper comes back bit for bit (a standard error not determined is
    /// NaN, and stays NaN), with no columns beside it.
    #[test]
    fn a_fit_answer_travels_whole() {
        use ltv_core::model::{fit_purchase_model, group_customers, summarize, PurchaseModel};
        let table = import(sample_export(), &ImportOptions::new(), &mut |_| true)
            .unwrap()
            .table;
        let (_, last) = table.date_range().unwrap();
        let groups = group_customers(&summarize(&table, last, None).unwrap().customers);
        for model in PurchaseModel::ALL {
            let fit = fit_purchase_model(model, &groups);
            let answer = HelperAnswer::Fit(FitAnswer {
                job: 9,
                model,
                result: fit.clone(),
                memory_asked: 2 << 20,
                memory: 3 << 20,
            });
            let (head, columns) = answer_to_bytes(&answer).expect("encodes");
            assert!(columns.is_empty());
            let Some(HelperAnswer::Fit(back)) = answer_from_bytes(&head, &columns) else {
                panic!("a fit answer decodes as one");
            };
            assert_eq!(
                (back.job, back.model, back.memory_asked, back.memory),
                (9, model, 2 << 20, 3 << 20)
            );
            assert_eq!(format!("{:?}", back.result), format!("{fit:?}"));
            assert!(answer_from_bytes(&head, &[vec![0u8; 8]]).is_none());
        }
    }

    #[test]
    fn the_version_tag_names_the_protocol() {
        assert!(WORKER_VERSION.ends_with(&format!("-p{PROTOCOL}")));
    }

    #[test]
    fn every_request_round_trips() {
        let options = ImportOptions::new();
        let settings = Settings {
            analysis: AnalysisParams::new().with_horizon_years(2).unwrap(),
            model: ModelParams::new().with_margin(Some(0.4)).unwrap(),
            alive: AliveThresholds::default(),
        };
        let requests = [
            Request::Sniff {
                options: options.clone(),
            },
            Request::Import { options, settings },
            Request::RejectedRowsCsv,
            Request::Analyse {
                params: AnalysisParams::default(),
            },
            Request::CustomersCsv {
                encoding: CsvEncoding::Cp932,
                segment: Some(Segment::Dormant),
            },
            Request::CustomersCsv {
                encoding: CsvEncoding::Utf8Bom,
                segment: None,
            },
            Request::SummaryJson,
            Request::ComparePeriods {
                before: Period { from: 0, to: 364 },
                after: Period { from: 365, to: 729 },
            },
            Request::CompareGroup {
                list: "a@example.jp\nb@example.jp".into(),
                since: 400,
            },
            Request::Predict {
                params: ModelParams::default(),
                alive: AliveThresholds::default(),
            },
            Request::WarmUp,
            Request::Shown,
            Request::ReadPart {
                options: ImportOptions::new(),
                import: 3,
                index: 1,
                count: 2,
            },
            Request::Fit {
                job: 2,
                model: ltv_core::model::PurchaseModel::ParetoNbd,
                groups: vec![SummaryGroup {
                    frequency: 3,
                    recency_days: 40,
                    age_days: 90,
                    weight: 12,
                }],
            },
        ];
        for request in requests {
            assert_eq!(round_trip(&request), request);
        }
    }

    /// The dying worker of the crash test tells an import by its tag.
    #[test]
    fn import_is_tagged_one() {
        let bytes = to_bytes(&Request::Import {
            options: ImportOptions::new(),
            settings: Settings::default(),
        })
        .unwrap();
        assert_eq!(bytes[4], 1);
    }

    #[test]
    fn every_response_round_trips() {
        let bytes = sample_export();
        let options = ImportOptions::new();
        let done = import(bytes, &options, &mut |_| true).expect("the sample imports");
        // The warm-up's made-up export is the one the models are sure to fit.
        let made_up = made_up_export();
        let fitted = import(made_up.as_bytes(), &options, &mut |_| true).expect("imports");
        let analysis = analyse(&done.table, &AnalysisParams::default()).without_customers();
        let prediction = predict(&fitted.table, &ModelParams::default()).expect("it fits");
        let view = forecast(
            &prediction,
            &fitted.table.customer_keys,
            AliveThresholds::default(),
            20,
        );
        let Err(import_error) = import(b"", &options, &mut |_| true) else {
            panic!("an empty file fails");
        };
        let responses = [
            Response::Sniffed(sniff(bytes, &options).map(Box::new)),
            Response::Sniffed(Err(import_error.clone())),
            Response::Progress {
                stage: Stage::Importing,
                fraction: 0.25,
            },
            Response::Imported(Ok(Box::new(done.report))),
            Response::Imported(Err(import_error)),
            Response::Analysed(Box::new(analysis)),
            Response::Predicted {
                params: ModelParams::default(),
                alive: AliveThresholds::default(),
                forecast: Ok(Box::new(view)),
            },
            Response::Predicted {
                params: ModelParams::default().with_calibration_end(Some(19_000)),
                alive: AliveThresholds::default(),
                forecast: Err(ModelError::new(ModelErrorKind::NoCustomers {
                    calibration_end: 19_000,
                })),
            },
            Response::File {
                name: "顧客一覧.csv".into(),
                mime: "text/csv".into(),
                bytes: vec![0xEF, 0xBB, 0xBF, b'a'],
            },
            Response::Failed("まだデータを読み込んでいません。".into()),
        ];
        for response in responses {
            let back = round_trip(&response);
            if !matches!(response, Response::Analysed(_)) {
                assert_eq!(back, response);
            }
        }
    }

    /// Settings are checked when read, as when built: bytes that carry a bad one are not a
    /// message of this protocol.
    #[test]
    fn bad_settings_do_not_decode() {
        let good = to_bytes(&Request::Predict {
            params: ModelParams::default(),
            alive: AliveThresholds::default(),
        })
        .unwrap();
        // The horizon (12) is the first byte after the optional calibration end (None: 0).
        let mut bad = good.clone();
        assert_eq!(&bad[4..7], &[3, 0, 12]);
        bad[6] = 0;
        assert_eq!(
            from_bytes::<Request>(&bad),
            Err(DecodeError::Malformed),
            "a horizon of 0 months"
        );
        assert!(from_bytes::<Request>(&good).is_ok());
    }

    #[test]
    fn another_version_is_named_not_misread() {
        let old = to_bytes_as(PROTOCOL - 1, &Request::SummaryJson).unwrap();
        assert_eq!(
            from_bytes::<Request>(&old),
            Err(DecodeError::Version(Some(PROTOCOL - 1)))
        );
        let newer = to_bytes_as(PROTOCOL + 1, &Response::Failed("x".into())).unwrap();
        assert_eq!(
            from_bytes::<Response>(&newer),
            Err(DecodeError::Version(Some(PROTOCOL + 1)))
        );
        // An old worker's bincode bytes have no header at all.
        let bincode_like = [1u8, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            from_bytes::<Response>(&bincode_like),
            Err(DecodeError::Version(None))
        );
        assert_eq!(from_bytes::<Response>(&[]), Err(DecodeError::Version(None)));
        // The right header with garbage after it is malformed, not a version problem.
        assert_eq!(
            from_bytes::<Response>(&[b'L', b'T', b'V', PROTOCOL, 0xFF, 0xFF, 0xFF]),
            Err(DecodeError::Malformed)
        );
    }
}
