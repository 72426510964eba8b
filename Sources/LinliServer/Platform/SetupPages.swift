import Foundation
import LinliCore
import LinliData
import Vapor

/// `/console/setup`: the console's first sign-in steps (see `FirstSignIn`). Every other console page
/// sends a session still to be set up here.
struct SetupPages {
    func boot(_ routes: Routes) {
        let setup = routes.grouped("console", "setup")
        setup.get(needs: .signedIn, use: page)
        setup.post(needs: .signedIn, use: setPassword)
        setup.post("confirm", needs: .signedIn, use: confirm)
    }

    func page(req: Request) async throws -> Response {
        let user = try req.webUser()
        guard user.account.setupRequired else { return req.redirect(to: "/console") }
        return try render(req, user, errors: [])
    }

    func render(_ req: Request, _ user: WebUser, errors: [FieldError], status: HTTPResponseStatus = .ok) throws -> Response {
        func error(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let body: Markup
        if let secret = try FirstSignIn.pendingSecret(user.principal, req: req) {
            let text = Base32.encode(secret)
            let grouped = stride(from: 0, to: text.count, by: 4).map { i -> String in
                let a = text.index(text.startIndex, offsetBy: i)
                return String(text[a..<(text.index(a, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex)])
            }.joined(separator: " ")
            body = """
                <h1>首次登录设置 · 第二步：绑定动态口令</h1>
                \(Console.formErrors(errors))
                <p>请在手机上的身份验证器（如 Google Authenticator、Microsoft Authenticator、FreeOTP）中添加账号，手动输入下面的密钥（基于时间）：</p>
                <p><code>\(grouped)</code></p>
                <p class="small">或使用链接：<code>\(TOTP.uri(secret: secret, account: user.account.username))</code></p>
                <p class="muted">密钥只属于您本人，请勿转告他人；管理员看不到它。</p>
                <form method="post" action="/console/setup/confirm">
                  \(Console.csrfField(user))
                  \(Console.field("身份验证器上当前的6位动态口令", name: "totp", error: error("totp"), required: true,
                                  extra: "inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"6\" autofocus"))
                  <button type="submit">完成绑定</button>
                </form>
                """
        } else {
            body = """
                <h1>首次登录设置 · 设置本人密码</h1>
                <p>该账号由安全管理员创建或重置，初始密码只能用来完成设置。请设置只有您本人知道的新密码\(user.role.requiresTOTP ? "，然后绑定动态口令" : "")。</p>
                \(Console.formErrors(errors))
                <form method="post" action="/console/setup">
                  \(Console.csrfField(user))
                  \(Console.field("新密码", name: "new_password", error: error("new_password"), type: "password", required: true,
                                  hint: "至少 \(PasswordPolicy.minimumLength) 位，含大写字母、小写字母、数字、符号中的至少三类，不含用户名，不能与初始密码相同",
                                  extra: "autocomplete=\"new-password\" maxlength=\"128\" autofocus"))
                  <button type="submit">设置密码</button>
                </form>
                """
        }
        return Console.page(req, nil, title: "首次登录设置", body: body + """
            <form method="post" action="/logout">\(Console.csrfField(user))<button type="submit" class="secondary">退出</button></form>
            """, status: status, wide: false)
    }

    struct PasswordForm: Content {
        var csrf: String? = nil
        var new_password: String? = nil
    }

    func setPassword(req: Request) async throws -> Response {
        let user = try req.webUser()
        let form = (try? req.content.decode(PasswordForm.self)) ?? PasswordForm()
        try req.checkCSRF(user, form.csrf)
        guard user.account.setupRequired else { return req.redirect(to: "/console") }
        do {
            let secret = try await FirstSignIn.setPassword(user.principal, new: form.new_password, req: req)
            return req.redirect(to: secret == nil ? "/console" : "/console/setup")
        } catch RegistryError.invalid(let errors) {
            return try render(req, user, errors: errors, status: .unprocessableEntity)
        }
    }

    struct ConfirmForm: Content {
        var csrf: String? = nil
        var totp: String? = nil
    }

    func confirm(req: Request) async throws -> Response {
        let user = try req.webUser()
        let form = (try? req.content.decode(ConfirmForm.self)) ?? ConfirmForm()
        try req.checkCSRF(user, form.csrf)
        guard user.account.setupRequired else { return req.redirect(to: "/console") }
        do {
            try await FirstSignIn.confirm(user.principal, code: form.totp, req: req)
            return req.redirect(to: "/console")
        } catch RegistryError.invalid(let errors) {
            return try render(req, user, errors: errors, status: .unprocessableEntity)
        }
    }
}
