use std::rc::Rc;

use ltv_core::import::{
    ColumnRole, DateOrder, Delimiter, ImportOptions, Platform, PreviewCell, RevenueBasis, Sniff,
    TextEncoding,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::session::SessionAction;
use crate::i18n;

/// The places of what the import waits for (the page brings the first into view).
pub const NEEDS_DATE_ORDER: &str = "csv-needs-date-order";
pub const NEEDS_NAME: &str = "csv-needs-name";
pub const MISSING_ROLES: &str = "csv-missing-roles";

const ENCODINGS: [TextEncoding; 3] = [
    TextEncoding::Utf8,
    TextEncoding::ShiftJis,
    TextEncoding::Utf16Le,
];
const DELIMITERS: [Delimiter; 4] = [
    Delimiter::Comma,
    Delimiter::Tab,
    Delimiter::Semicolon,
    Delimiter::Whitespace,
];
const DATE_ORDERS: [DateOrder; 2] = [DateOrder::MonthFirst, DateOrder::DayFirst];
const REVENUE_BASES: [RevenueBasis; 2] = [RevenueBasis::BeforePoints, RevenueBasis::AfterPoints];

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub sniff: Rc<Sniff>,
    pub options: ImportOptions,
    pub on_action: Callback<SessionAction>,
    pub busy: bool,
}

fn selected_index(e: &Event) -> usize {
    let select: HtmlSelectElement = e.target_unchecked_into();
    usize::try_from(select.selected_index()).unwrap_or(0)
}

/// The detected settings, the column mapping and the preview, each changeable.
#[component]
pub fn Settings(props: &SettingsProps) -> Html {
    let sniff = &props.sniff;
    let on_encoding = props
        .on_action
        .reform(|e: Event| SessionAction::Encoding(ENCODINGS[selected_index(&e).min(2)]));
    let on_delimiter = props
        .on_action
        .reform(|e: Event| SessionAction::Delimiter(DELIMITERS[selected_index(&e).min(3)]));
    let on_header = props.on_action.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        SessionAction::HasHeader(input.checked())
    });
    let date_order = props.options.date_order().or(sniff.date_order);
    let show_date_order = sniff.date_order_ambiguous || date_order.is_some();
    let on_date_order = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            // Index 0 is 「選んでください」.
            if let Some(order) = selected_index(&e)
                .checked_sub(1)
                .and_then(|i| DATE_ORDERS.get(i))
            {
                on_action.emit(SessionAction::DateOrder(*order));
            }
        })
    };
    let columns = sniff.headers.len().max(sniff.roles.len());
    let role_select = |index: usize| {
        let current = sniff
            .roles
            .get(index)
            .copied()
            .unwrap_or(ColumnRole::Ignore);
        let header = sniff.headers.get(index).cloned().unwrap_or_default();
        let on_change = props.on_action.reform(move |e: Event| {
            let role = ColumnRole::ALL
                .get(selected_index(&e))
                .copied()
                .unwrap_or(ColumnRole::Ignore);
            SessionAction::Role(index, role)
        });
        let id = format!("role-{index}");
        html! {
            <th scope="col">
                <div class="col-name">{ header.clone() }</div>
                <label class="visually-hidden" for={id.clone()}>{ i18n::role_label(&header) }</label>
                <select id={id} onchange={on_change} disabled={props.busy}
                    class={classes!((current == ColumnRole::Ignore).then_some("ignored"))}>
                    { for ColumnRole::ALL.iter().map(|role| html! {
                        <option selected={*role == current}>{ i18n::column_role_name(*role) }</option>
                    }) }
                </select>
            </th>
        }
    };
    html! {
        <section class="card" id="csv-settings" aria-labelledby="settings-title">
            <h2 id="settings-title">{ i18n::SETTINGS_TITLE }</h2>
            <p class="intro">{ i18n::SETTINGS_INTRO }</p>
            <div class="settings-grid">
                <div class="field">
                    <label for="encoding">{ i18n::ENCODING }</label>
                    <select id="encoding" onchange={on_encoding} disabled={props.busy} data-testid="encoding">
                        { for ENCODINGS.iter().map(|e| html! { <option selected={*e == sniff.encoding}>{ i18n::encoding_name(*e) }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="delimiter">{ i18n::DELIMITER }</label>
                    <select id="delimiter" onchange={on_delimiter} disabled={props.busy}>
                        { for DELIMITERS.iter().map(|d| html! { <option selected={*d == sniff.delimiter}>{ i18n::delimiter_name(*d) }</option> }) }
                    </select>
                </div>
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" checked={sniff.has_header} onchange={on_header} disabled={props.busy} />
                        { i18n::HAS_HEADER }
                    </label>
                </div>
                if show_date_order {
                    <div id={NEEDS_DATE_ORDER} class={classes!("field", (sniff.date_order_ambiguous && props.options.date_order().is_none()).then_some("invalid"))}>
                        <label for="date-order">{ i18n::DATE_ORDER }</label>
                        <select id="date-order" onchange={on_date_order} disabled={props.busy}>
                            <option selected={date_order.is_none()} disabled=true>{ i18n::DATE_ORDER_CHOOSE }</option>
                            { for DATE_ORDERS.iter().map(|o| html! { <option selected={Some(*o) == date_order}>{ i18n::date_order_name(*o) }</option> }) }
                        </select>
                        if sniff.date_order_ambiguous && props.options.date_order().is_none() {
                            <p class="field-error" role="alert">{ i18n::DATE_ORDER_ASK }</p>
                        }
                    </div>
                }
            </div>
            <Rules sniff={Rc::clone(sniff)} options={props.options.clone()}
                on_action={props.on_action.clone()} busy={props.busy} />
            <h3>{ i18n::MAPPING_TITLE }</h3>
            <p class="intro">{ i18n::MAPPING_INTRO }</p>
            if let Some(names) = duplicate_names(&sniff.headers) {
                <p class="field-hint" data-testid="duplicate-headers">{ i18n::duplicate_headers(&names) }</p>
            }
            if !sniff.missing_roles().is_empty() && !sniff.rules.name_needs_consent {
                <p id={MISSING_ROLES} class="field-error" role="alert" data-testid="missing-roles">
                    { i18n::missing_roles(&sniff.missing_roles()) }
                </p>
            }
            <div class="table-scroll">
                <table class="preview" data-testid="preview">
                    <thead>
                        <tr>
                            <th scope="col">{ i18n::MAPPING_LINE }</th>
                            { for (0..columns).map(role_select) }
                        </tr>
                    </thead>
                    <tbody>
                        { for sniff.preview.iter().map(|row| html! {
                            <tr>
                                <th scope="row">{ row.line }</th>
                                { for (0..columns).map(|i| {
                                    let raw = row.fields.get(i).cloned().unwrap_or_default();
                                    let (class, read) = match row.cells.get(i) {
                                        Some(PreviewCell::Read(v)) => ("read", v.clone()),
                                        Some(PreviewCell::Error(e)) => ("bad", e.clone()),
                                        Some(PreviewCell::Blank) => ("blank", i18n::PREVIEW_BLANK.to_string()),
                                        _ => ("unused", i18n::PREVIEW_UNUSED.to_string()),
                                    };
                                    html! {
                                        <td>
                                            <div class="raw">{ raw }</div>
                                            <div class={classes!("as-read", class)}>{ read }</div>
                                        </td>
                                    }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Header names written more than once (EC-CUBE 4 writes 送料 twice), if any.
fn duplicate_names(headers: &[String]) -> Option<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let mut twice: Vec<String> = Vec::new();
    for h in headers {
        if !seen.insert(h.as_str()) && !twice.contains(h) {
            twice.push(h.clone());
        }
    }
    (!twice.is_empty()).then_some(twice)
}

#[derive(Properties, PartialEq)]
struct RulesProps {
    sniff: Rc<Sniff>,
    options: ImportOptions,
    on_action: Callback<SessionAction>,
    busy: bool,
}

/// 集計のルール: the platform, what is left out, what revenue is, who a customer is.
#[component]
fn Rules(props: &RulesProps) -> Html {
    let sniff = &props.sniff;
    let rules = &sniff.rules;
    let detection = &sniff.detection;
    let on_platform = props.on_action.reform(|e: Event| {
        SessionAction::Platform(
            Platform::ALL
                .get(selected_index(&e))
                .copied()
                .unwrap_or(Platform::Generic),
        )
    });
    let on_include = props.on_action.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        SessionAction::IncludeExcluded(input.checked())
    });
    let on_revenue = props
        .on_action
        .reform(|e: Event| SessionAction::Revenue(REVENUE_BASES[selected_index(&e).min(1)]));
    let on_name = props.on_action.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        SessionAction::NameAsKey(input.checked())
    });
    let ask_platform = detection.needs_choice();
    let status = match (&rules.status_column, &rules.cancelled_at_column) {
        (Some(column), at) => Some(i18n::status_rule(
            sniff.platform,
            column,
            at.as_deref(),
            rules.status_keywords,
        )),
        (None, Some(at)) => Some(i18n::cancelled_at_rule(at)),
        (None, None) => None,
    };
    html! {
        <div class="rules" data-testid="rules">
            <h3>{ i18n::RULES_TITLE }</h3>
            <p class="intro">{ i18n::RULES_INTRO }</p>
            <div class={classes!("field", ask_platform.then_some("invalid"))}>
                <label for="platform">{ i18n::PLATFORM_CHOOSE }</label>
                <select id="platform" onchange={on_platform} disabled={props.busy} data-testid="platform-select">
                    { for Platform::ALL.iter().map(|p| html! {
                        <option selected={*p == sniff.platform}>{ i18n::platform_name(*p) }</option>
                    }) }
                </select>
                if ask_platform {
                    <p class="field-error" role="alert">{ i18n::PLATFORM_ASK }</p>
                } else if !detection.chosen && detection.signature > 0 {
                    <p class="field-hint" data-testid="platform">
                        { i18n::platform_detected(i18n::platform_name(sniff.platform), detection.matched, detection.signature) }
                    </p>
                } else {
                    <p class="field-hint" data-testid="platform">{ i18n::platform_name(sniff.platform) }</p>
                }
            </div>
            <ul class="rule-lines">
                <li data-testid="status-rule">
                    { status.clone().unwrap_or_else(|| i18n::STATUS_RULE_NONE.to_string()) }
                    if status.is_some() {
                        <label class="checkbox">
                            <input type="checkbox" checked={props.options.include_excluded()}
                                onchange={on_include} disabled={props.busy} data-testid="include-excluded" />
                            { i18n::STATUS_INCLUDE }
                        </label>
                    }
                </li>
                <li data-testid="revenue-rule">
                    { i18n::revenue_rule_sentence(&rules.revenue) }
                    if rules.revenue.switchable {
                        <div class="field">
                            <label for="revenue-basis">{ i18n::REVENUE_BASIS }</label>
                            <select id="revenue-basis" onchange={on_revenue} disabled={props.busy}>
                                <option selected={props.options.revenue() == RevenueBasis::BeforePoints}>{ i18n::REVENUE_BEFORE }</option>
                                <option selected={props.options.revenue() == RevenueBasis::AfterPoints}>{ i18n::REVENUE_AFTER }</option>
                            </select>
                        </div>
                    }
                </li>
                if rules.name_needs_consent || props.options.name_as_key() {
                    <li id={NEEDS_NAME} class={classes!(rules.name_needs_consent.then_some("invalid"))}>
                        <label class="checkbox">
                            <input type="checkbox" checked={props.options.name_as_key()}
                                onchange={on_name} disabled={props.busy} data-testid="name-as-key" />
                            { i18n::NAME_AS_KEY }
                        </label>
                        if rules.name_needs_consent {
                            <p class="field-error" role="alert">{ i18n::NAME_AS_KEY_ASK }</p>
                        }
                    </li>
                }
            </ul>
        </div>
    }
}
