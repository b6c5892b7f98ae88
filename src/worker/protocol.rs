//! The bytes of a worker message: a four-byte header (`LTV` and the protocol version), then
//! the message in postcard (a compact serde format, kept up; it replaced bincode 1, which is
//! unmaintained: RUSTSEC-2025-0141).
//!
//! Every message carries the header, so the first message each way is checked as well as the
//! rest: a page and a worker of different builds (an old worker script still cached after a
//! deploy, say) never read each other's bytes as garbage; the side that sees another version
//! says [`crate::i18n::APP_UPDATED`].

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The version of [`super::Request`] and [`super::Response`]: raise it whenever either
/// changes shape.
pub const PROTOCOL: u8 = 2;

const MAGIC: &[u8; 3] = b"LTV";

/// The version tag of the worker's files, appended to their URLs so that after a deploy the
/// browser fetches the new worker instead of a cached old one.
pub const WORKER_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "-p2");

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
    use crate::worker::{Request, Response, Stage};
    use ltv_core::analysis::export::CsvEncoding;
    use ltv_core::analysis::segments::Segment;
    use ltv_core::analysis::{analyse, AnalysisParams};
    use ltv_core::forecast::forecast;
    use ltv_core::import::{import, made_up_export, sample_export, sniff, ImportOptions};
    use ltv_core::model::{predict, AliveThresholds, ModelError, ModelErrorKind, ModelParams};

    /// Decodes what it encoded, and encodes that to the same bytes (compared as bytes: an
    /// analysis holds NaN figures, not equal to themselves, and fields the worker keeps).
    fn round_trip<T: Serialize + DeserializeOwned + std::fmt::Debug>(message: &T) -> T {
        let bytes = to_bytes(message).expect("encodes");
        assert_eq!(&bytes[..4], b"LTV\x02");
        let back = from_bytes::<T>(&bytes).expect("decodes");
        assert_eq!(to_bytes(&back), Some(bytes), "{message:?}");
        back
    }

    #[test]
    fn the_version_tag_names_the_protocol() {
        assert!(WORKER_VERSION.ends_with(&format!("-p{PROTOCOL}")));
    }

    #[test]
    fn every_request_round_trips() {
        let options = ImportOptions::new();
        let requests = [
            Request::Sniff {
                options: options.clone(),
            },
            Request::Import { options },
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
            Request::Predict {
                params: ModelParams::default(),
                alive: AliveThresholds::default(),
            },
        ];
        for request in requests {
            assert_eq!(round_trip(&request), request);
        }
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
            Response::Predicted(Ok(Box::new(view))),
            Response::Predicted(Err(ModelError::new(ModelErrorKind::NoCustomers {
                calibration_end: 19_000,
            }))),
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
            from_bytes::<Response>(b"LTV\x02\xFF\xFF\xFF"),
            Err(DecodeError::Malformed)
        );
    }
}
