import Foundation
import Hummingbird
import STOrders

/// One input of a page's form, as `form.mustache` draws it: a `<label for>`, the input with a
/// stable `id` (its name), an optional hint, and its error next to it tied by `aria-describedby`.
struct FormField {
    enum Kind {
        case text, money, date, textarea
        /// A new password: typed hidden, never echoed back into the page, and left to the
        /// browser's password manager (`autocomplete="new-password"`).
        case password
        /// Values and their visible texts.
        case select([(value: String, label: String)])
    }

    let name: String
    /// The visible label (already in the page's language).
    let label: String
    let kind: Kind
    var hint: String? = nil
    var required = true

    /// The values `form.mustache` renders for this field.
    func values(value: String, error: String?, id: String? = nil) -> [String: Any] {
        let id = id ?? name
        var out: [String: Any] = [
            "id": id, "name": name, "label": label, "value": value, "required": required,
        ]
        var describedBy: [String] = []
        if let hint {
            out["hint"] = hint
            out["hintId"] = id + "-hint"
            describedBy.append(id + "-hint")
        }
        if let error {
            out["error"] = error
            out["errorId"] = id + "-error"
            describedBy.append(id + "-error")
        }
        if !describedBy.isEmpty { out["describedBy"] = describedBy.joined(separator: " ") }
        switch kind {
        case .text:
            out["isInput"] = true
            out["type"] = "text"
        case .money:
            out["isInput"] = true
            out["type"] = "text"
            out["isMoney"] = true
        case .date:
            out["isInput"] = true
            out["type"] = "date"
        case .password:
            out["isInput"] = true
            out["type"] = "password"
            out["value"] = ""
            out["isPassword"] = true
        case .textarea: out["isTextarea"] = true
        case .select(let options):
            out["isSelect"] = true
            out["options"] = options.map { option -> [String: Any] in
                ["value": option.value, "label": option.label, "selected": option.value == value]
            }
        }
        return out
    }
}

/// What a form sent, the errors found field by field, and the form's own error.
struct FormInput {
    let values: [String: String]
    let language: Language
    var errors: [String: String] = [:]
    var formError: String?
    /// 422 for input that does not parse; 409 when a rule refused it.
    var status: HTTPResponse.Status = .unprocessableContent

    init(values: [String: String], language: Language) {
        self.values = values
        self.language = language
    }

    /// The form's fields of `request` (the body read whole by the limits layer).
    static func of(_ request: Request, language: Language) async throws -> FormInput {
        let buffer = try await request.body.collect(upTo: .max)
        return FormInput(values: RequestFields.parseForm(Array(buffer.readableBytesView)), language: language)
    }

    /// The field's text, trimmed; nil when empty.
    func text(_ name: String) -> String? {
        let value = (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// The field's value read by `parse`; a refusal is kept as the field's error. A required
    /// field left empty is an error too.
    mutating func read<T>(_ name: String, required: Bool = true, _ parse: (String) throws -> T) -> T? {
        guard let text = text(name) else {
            if required { errors[name] = language.text("field_required") }
            return nil
        }
        do {
            return try parse(text)
        } catch {
            errors[name] = Self.sentence(error)
            return nil
        }
    }

    /// A refusal of the operation: next to the field `field(code)` names, else on top of the form;
    /// the status of its category (a rule refused it: 409; invalid input: 422).
    mutating func refused(_ error: STOrdersError, field: (String) -> String?) {
        status = APIError.refusal(error).status == .conflict ? .conflict : .unprocessableContent
        if let name = field(error.code) {
            errors[name] = Self.sentence(error)
        } else {
            formError = Self.sentence(error)
        }
    }

    /// The rule's one-line sentence.
    static func sentence(_ error: any Error) -> String {
        if let error = error as? STOrdersError { return error.description }
        return APIError(from: error).message
    }

    /// The summary on top of a refused form: its own error, or "correct the marked fields".
    var summary: String? {
        formError ?? (errors.isEmpty ? nil : language.text("form_has_errors"))
    }
}

extension PageRenderer {
    /// A form page (`form.mustache`): `fields` filled with what was typed, their errors beside them.
    func form(
        _ page: PageContext, title: String, status: HTTPResponse.Status = .ok, id: String, action: String,
        submit: String, back: String, fields: [FormField], input: FormInput?, defaults: [String: String] = [:],
        facts: [(String, String)] = [], intro: String? = nil
    ) -> Response {
        var values: [String: Any] = [
            "formId": id, "formAction": action, "submitLabel": submit, "backHref": back,
            "fields": fields.map { field in
                field.values(
                    value: input?.values[field.name] ?? defaults[field.name] ?? "", error: input?.errors[field.name])
            },
            "facts": facts.map { ["label": $0.0, "value": $0.1] }, "hasFacts": !facts.isEmpty,
        ]
        if let intro { values["intro"] = intro }
        if let summary = input?.summary { values["formError"] = summary }
        return response("form", page, title: title, status: status, values)
    }
}
