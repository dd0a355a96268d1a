import Foundation
import Testing

@testable import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// E-mail through an SMTP relay: the conversation, the message as it arrives, and each refusal.
@Suite struct MailTests {
    @Test func aMessageArrivesWithItsVietnameseSubjectAndBodyIntact() throws {
        let sink = try SMTPSink()
        let relay = try SMTPRelay(parsing: "127.0.0.1:\(sink.port)")
        let body = "Sản phẩm 1 của nhiệm vụ 19-2025-0001 đã được nghiệm thu.\n.\nDòng cuối"
        let message = try MailMessage(
            from: "storders@sokhcn.example.vn", to: "lan.hn@example.vn", subject: "Thông báo: nghiệm thu", body: body)
        let reply = try relay.send(message)
        sink.wait()
        #expect(reply == "2.0.0 Ok: queued as 4ZQ7")
        let lines = sink.lines
        #expect(lines.first == "EHLO storders.localhost")
        #expect(lines.contains("MAIL FROM:<storders@sokhcn.example.vn>"))
        #expect(lines.contains("RCPT TO:<lan.hn@example.vn>"))
        #expect(lines.last == "QUIT")
        let subject = try #require(lines.first { $0.hasPrefix("Subject: ") })
        let word = subject.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2)
        #expect(String(decoding: Data(base64Encoded: String(word)) ?? Data(), as: UTF8.self) == "Thông báo: nghiệm thu")
        #expect(lines.contains("Content-Type: text/plain; charset=utf-8"))
        // The body: base64 lines between the blank line after the headers and the lone dot.
        let start = try #require(lines.firstIndex(of: "")) + 1
        let end = try #require(lines.lastIndex(of: "."))
        let encoded = lines[start..<end].joined()
        #expect(lines[start..<end].allSatisfy { $0.count <= 76 })
        #expect(String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self) == body)
    }

    @Test func aRelayThatRefusesTheRecipientIsNamedWithItsReply() throws {
        let sink = try SMTPSink(refuseRecipient: true)
        let relay = try SMTPRelay(parsing: "127.0.0.1:\(sink.port)")
        let message = try MailMessage(from: "a@example.vn", to: "b@example.vn", subject: "x", body: "y")
        #expect(
            throws: STOrdersError.mailFailed(
                relay: "127.0.0.1:\(sink.port)",
                reason: "RCPT TO: the relay answered 550 5.1.1 <x>: Recipient address rejected")
        ) { try relay.send(message) }
        sink.wait()
        #expect(!sink.lines.contains("DATA"))
    }

    @Test func aRelayThatIsNotThereIsRefusedAtOnce() throws {
        try SMTPSink.withRefusingPort { port in
            let error = try #require(throws: STOrdersError.self) {
                try SMTPRelay(parsing: "127.0.0.1:\(port)").send(
                    try MailMessage(from: "a@example.vn", to: "b@example.vn", subject: "x", body: "y"))
            }
            #expect(error.code == "mail_failed")
            #expect(
                error.description
                    == "the mail was not sent through 127.0.0.1:\(port): cannot connect: Connection refused")
        }
    }

    @Test(arguments: [
        "lan.hn", "@example.vn", "lan@", "lan@vn", "lan hn@example.vn", "lan@example.vn\r\nBcc: x@example.vn",
        "lan@example.vn>", "lan@@example.vn", "lân@example.vn", "lan@.vn",
    ])
    func anAddressThatCouldCarryAnythingElseIsRefused(_ text: String) throws {
        #expect(throws: STOrdersError.invalidMailAddress(text)) {
            try MailMessage(from: "storders@example.vn", to: text, subject: "x", body: "y")
        }
    }

    @Test func aRelayIsAHostAndAPort() throws {
        #expect(try SMTPRelay(parsing: "mail.sokhcn.example.vn").description == "mail.sokhcn.example.vn:25")
        #expect(try SMTPRelay(parsing: "localhost:2525").port == 2525)
        for bad in ["", ":25", "host:0", "host:99999", "host:25:1", "a b:25", "host/x"] {
            #expect(throws: STOrdersError.self, "\(bad)") { try SMTPRelay(parsing: bad) }
        }
    }
}
