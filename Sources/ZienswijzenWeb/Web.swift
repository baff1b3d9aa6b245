import Foundation
import HTTP
import Logging
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The web pages: Dutch, server-rendered, for griffiers and coordinators. Requests become
/// operations; results become pages, refusals error pages or the form again with its errors.
package struct Web: Sendable {
    let ops: Operations
    let configuration: EdgeConfiguration
    /// The templates, parsed once at start from `publicDirectory/templates`.
    package let pages: PageTemplates
    /// New access codes between the POST that made them and the one GET that shows them.
    let issuedCodes = OneTimeFlashes<IssuedCodeView>()

    package init(ops: Operations, configuration: EdgeConfiguration) {
        self.ops = ops
        self.configuration = configuration
        self.pages = PageTemplates(directory: configuration.publicDirectory + "/templates", logger: ops.logger)
    }

    var logger: Logger { ops.logger }
    var clock: any AppClock { ops.clock }

    /// Registers the web pages and the assets under `/assets`.
    package func register(_ routes: inout RouteTable) {
        routes.router.addStaticFiles("/assets", StaticFiles(root: configuration.publicDirectory + "/assets"))
        registerStart(&routes)
        registerLogin(&routes)
        registerConsultationPages(&routes)
        registerGriffiePages(&routes)
        registerReceiptPages(&routes)
        registerCoordinatorPages(&routes)
        registerDeadlinePages(&routes)
        registerRBOPages(&routes)
        registerAuditPages(&routes)
        registerAccessCodePages(&routes)
        registerDeliveryPages(&routes)
        registerConsultationListPages(&routes)
        registerEditPages(&routes)
        registerDocumentPages(&routes)
        registerRegisterPages(&routes)
        registerReactiePages(&routes)
        registerReactienotaPages(&routes)
        registerReactienotaPrintPages(&routes)
        registerPublicatiePages(&routes)
    }
}
