import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import STOrders

/// The pages' templates and assets, embedded in the binary (Package.swift lists each file under
/// `.embedInCode`), parsed once when the server is built. A test checks that every file of
/// Templates/ is here, so a template cannot be forgotten in Package.swift.
public struct PageRenderer: Sendable {
    /// Every template by its name (the file name without `.mustache`).
    static let templateFiles: [String: [UInt8]] = [
        "layout": PackageResources.layout_mustache,
        "sign-in": PackageResources.sign_in_mustache,
        "message": PackageResources.message_mustache,
        "home": PackageResources.home_mustache,
        "dashboard": PackageResources.dashboard_mustache,
        "verify": PackageResources.verify_mustache,
        "history": PackageResources.history_mustache,
        "export": PackageResources.export_mustache,
        "accounts": PackageResources.accounts_mustache,
        "account": PackageResources.account_mustache,
        "field": PackageResources.field_mustache,
        "form": PackageResources.form_mustache,
        "orders": PackageResources.orders_mustache,
        "order": PackageResources.order_mustache,
        "order-new": PackageResources.order_new_mustache,
        "inbox": PackageResources.inbox_mustache,
        "due": PackageResources.due_mustache,
        "notices": PackageResources.notices_mustache,
        "attach": PackageResources.attach_mustache,
    ]

    let library: MustacheLibrary
    let assets: Assets

    /// Parses every template; a template that does not parse stops the server from starting.
    public init() throws {
        var templates: [String: MustacheTemplate] = [:]
        for (name, bytes) in Self.templateFiles {
            do {
                templates[name] = try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self))
            } catch {
                throw ConfigurationError(description: "the page template \(name).mustache does not parse: \(error)")
            }
        }
        library = MustacheLibrary(templates: templates)
        assets = Assets()
    }

    /// The page `template` in the layout, as HTML. `values` are the page's own; the layout's
    /// (language, texts, account, navigation, form token, flash) come from `page`.
    func render(_ template: String, _ page: PageContext, title: String, _ values: [String: Any] = [:]) -> String {
        var all: [String: Any] = [
            "lang": page.language.rawValue,
            "otherLang": page.language.other.rawValue,
            "t": page.language.strings,
            "title": title,
            "css": assets.css.path,
            "js": assets.js.path,
            "languageHref": "/language/\(page.language.other.rawValue)?next=" + Self.queryEscaped(page.path),
        ]
        if let account = page.account {
            all["account"] = [
                "login": account.login,
                "roleLabel": page.language.text("role_\(account.role.rawValue)"),
                "role": account.role.rawValue,
            ]
            all["nav"] = Navigation.items(for: account).map { item -> [String: Any] in
                [
                    "id": item.id, "href": item.href, "label": page.language.text(item.label),
                    "current": item.isCurrent(page.path),
                ]
            }
        }
        if let csrf = page.csrfToken { all["csrf"] = csrf }
        if let flash = page.flash { all["flash"] = flash }
        for (key, value) in values { all[key] = value }
        return library.render(all, withTemplate: template) ?? ""
    }

    /// An HTML answer: the rendered page, its status, and the flash cookie cleared once shown.
    func response(
        _ template: String, _ page: PageContext, title: String, status: HTTPResponse.Status = .ok,
        _ values: [String: Any] = [:]
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        if page.flash != nil { headers.append(HTTPField(name: .setCookie, value: Flash.clearingCookie)) }
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: render(template, page, title: title, values))))
    }

    /// A message page (404, 403, an expired session…) in the layout.
    func message(
        _ page: PageContext, status: HTTPResponse.Status, title: String, message: String,
        link: (href: String, label: String)? = nil
    ) -> Response {
        var values: [String: Any] = ["message": message]
        if let link {
            values["linkHref"] = link.href
            values["linkLabel"] = link.label
        }
        return response("message", page, title: title, status: status, values)
    }

    /// The answer to a refusal met by a page (not a form's own refusal, which re-renders the
    /// form): the page of its status, in the layout.
    func errorPage(_ error: any Error, _ page: PageContext) -> Response {
        let answer = APIError(from: error)
        let l = page.language
        switch answer.status {
        case .notFound:
            return message(
                page, status: .notFound, title: l.text("not_found_title"), message: l.text("not_found_text"),
                link: ("/", l.text("back_home")))
        case .forbidden where answer.code == "csrf":
            return message(
                page, status: .forbidden, title: l.text("csrf_title"), message: l.text("csrf_text"),
                link: ("/", l.text("back_home")))
        case .forbidden:
            return message(
                page, status: .forbidden, title: l.text("forbidden_title"), message: l.text("forbidden_text"),
                link: ("/", l.text("back_home")))
        case .unauthorized:
            return Redirect.to("/sign-in?next=" + Self.queryEscaped(page.path))
        case .unprocessableContent, .conflict:
            return message(
                page, status: answer.status, title: l.text("error_title"), message: answer.message,
                link: ("/", l.text("back_home")))
        default:
            var response = message(
                page, status: answer.status, title: l.text("error_title"), message: l.text("error_text"),
                link: ("/", l.text("back_home")))
            for field in answer.headers { response.headers.append(field) }
            return response
        }
    }

    /// Text for a query string's value (`/orders?x=1` → `%2Forders%3Fx%3D1`).
    static func queryEscaped(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// What every page needs to know of its request: the language, who is signed in (and the
/// session's form token), the path (for `next` and the current navigation item), the flash.
struct PageContext: Sendable {
    var language: Language
    var account: Account?
    var csrfToken: String?
    var path: String
    var flash: String?

    init(_ request: Request, _ context: AppRequestContext) {
        language = Language.of(request)
        account = context.account
        csrfToken = context.sessionCSRFToken
        path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        flash = Flash.message(request, language: language)
    }
}

/// The page CSS and script, with a content hash in their URLs (so they are cached for a year
/// and a new build's files are fetched anew).
struct Assets: Sendable {
    struct File: Sendable {
        let path: String
        let bytes: [UInt8]
        let contentType: String
    }

    let css: File
    let js: File

    init() {
        // The dashboard's rules (the library's, all under `.dashboard`) and its script (which
        // does nothing on a page without the live dashboard) travel in the same two files.
        css = Self.file(
            "app", "css", PackageResources.app_css + Array(DashboardHTML.css.utf8), "text/css; charset=utf-8")
        js = Self.file(
            "app", "js", PackageResources.app_js + PackageResources.dashboard_js, "text/javascript; charset=utf-8")
    }

    static func file(_ name: String, _ ext: String, _ bytes: [UInt8], _ type: String) -> File {
        File(path: "/assets/\(name).\(fingerprint(bytes)).\(ext)", bytes: bytes, contentType: type)
    }

    /// FNV-1a, 64 bits, as 16 hex digits: enough to tell one build's file from another's.
    static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The file at `path`, if it is one of these.
    func file(at path: String) -> File? {
        [css, js].first { $0.path == path }
    }
}

/// 303 See Other: where a form's success (post/redirect/get) and a sign-in wall send the browser.
enum Redirect {
    static func to(_ location: String, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// `next` when it is a path of this site (`/orders/1`), else `/`: never another origin
    /// (`//evil.example`, `/\evil`, `https://…`) nor a control character.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" })
        else { return "/" }
        return next
    }
}

/// A one-shot message shown on the page after a form's redirect: a cookie that names a text of
/// the table (and one value for it), cleared by the page that shows it.
enum Flash {
    static let cookieName = "storders_flash"
    static let clearingCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"

    /// The cookie that makes the next page say `key` (with `value` in place of its `%@`).
    static func cookie(_ key: String, _ value: String = "") -> String {
        let encoded = PageRenderer.queryEscaped(key + ":" + value)
        return "\(cookieName)=\(encoded); Path=/; Max-Age=60; HttpOnly; SameSite=Lax"
    }

    /// The message the request's flash cookie names, in `language`; nil when none (or not a key
    /// of the table: the cookie cannot make a page say anything else).
    static func message(_ request: Request, language: Language) -> String? {
        guard let raw = Cookies.value(cookieName, in: request), let text = raw.removingPercentEncoding else {
            return nil
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let key = String(parts[0])
        guard language.strings[key] != nil else { return nil }
        return language.format(key, parts.count > 1 ? String(parts[1]) : "")
    }
}

/// Reading the request's cookies.
enum Cookies {
    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(name + "=") {
                    let value = String(pair.dropFirst(name.count + 1))
                    return value.isEmpty ? nil : value
                }
            }
        }
        return nil
    }
}

extension Language {
    static let cookieName = "storders_lang"

    /// The language the request's cookie names; Vietnamese when none.
    static func of(_ request: Request) -> Language {
        Cookies.value(cookieName, in: request).flatMap(Language.init(rawValue:)) ?? .vi
    }

    /// The cookie that remembers this language for a year.
    var cookie: String { "\(Language.cookieName)=\(rawValue); Path=/; Max-Age=31536000; SameSite=Lax" }
}

/// The navigation of each role: the items its pages offer (other pages add theirs here).
struct Navigation {
    struct Item: Sendable {
        let id: String
        let href: String
        /// The key of its text in the table.
        let label: String

        func isCurrent(_ path: String) -> Bool {
            let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
            return href == "/" ? bare == "/" : (bare == href || bare.hasPrefix(href + "/"))
        }
    }

    /// Verify and export, for those the policy lets do both (a national auditor, an admin).
    static func oversight(_ account: Account) -> [Item] {
        guard account.access(.verify) == .allowed else { return [] }
        return [
            Item(id: "verify", href: "/verify", label: "nav_verify"),
            Item(id: "export", href: "/export", label: "nav_export"),
        ]
    }

    /// What waits, what falls due and what the account is told, for whoever works on orders.
    static let process = [
        Item(id: "inbox", href: "/inbox", label: "nav_inbox"),
        Item(id: "due", href: "/due", label: "nav_due"),
        Item(id: "notices", href: "/notices", label: "nav_notices"),
    ]

    static func items(for account: Account) -> [Item] {
        switch account.role {
        case .enterprise:
            return [
                Item(id: "orders", href: "/orders", label: "nav_my_orders"),
                Item(id: "new-order", href: "/orders/new", label: "nav_new_order"),
            ] + process
        case .officer:
            return [
                Item(id: "inbox", href: "/inbox", label: "nav_inbox"),
                Item(id: "orders", href: "/orders", label: "nav_orders"),
                Item(id: "new-order", href: "/orders/new", label: "nav_new_order"),
                Item(id: "due", href: "/due", label: "nav_due"),
                Item(id: "notices", href: "/notices", label: "nav_notices"),
                Item(id: "targets", href: "/targets", label: "nav_targets"),
                Item(id: "dashboard", href: "/dashboard", label: "nav_dashboard"),
            ]
        case .auditor:
            return [
                Item(id: "orders", href: "/orders", label: "nav_orders"),
                Item(id: "dashboard", href: "/dashboard", label: "nav_dashboard"),
            ] + process + oversight(account)
        case .admin:
            return [
                Item(id: "home", href: "/", label: "nav_home"),
                Item(id: "dashboard", href: "/dashboard", label: "nav_dashboard"),
            ] + oversight(account)
                + [
                    Item(id: "accounts", href: "/accounts", label: "nav_accounts"),
                    Item(id: "national-targets", href: "/national-targets", label: "nav_national_targets"),
                ]
        }
    }
}
