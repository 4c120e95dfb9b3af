/// The results of an ORU^R01 grouped as the standard nests them: each patient (PID and what follows
/// it), each order of that patient (ORC/OBR), and each observation of the order (OBX, with its NTE
/// notes).
public struct ORUResults: Sendable, Hashable {
    public struct Observation: Sendable, Hashable {
        public let obx: Segment
        public let notes: [Segment]
    }

    public struct Order: Sendable, Hashable {
        public let orc: Segment?
        public let obr: Segment
        public let observations: [Observation]
    }

    public struct Patient: Sendable, Hashable {
        public let pid: Segment?
        public let orders: [Order]
    }

    public let patients: [Patient]

    public init(_ message: Message) {
        var patients: [Patient] = []
        var pid: Segment?
        var orders: [Order] = []
        var orc: Segment?
        var obr: Segment?
        var observations: [Observation] = []
        var obx: Segment?
        var notes: [Segment] = []

        func closeObservation() {
            if let current = obx { observations.append(Observation(obx: current, notes: notes)) }
            obx = nil
            notes = []
        }
        func closeOrder() {
            closeObservation()
            if let current = obr { orders.append(Order(orc: orc, obr: current, observations: observations)) }
            obr = nil
            orc = nil
            observations = []
        }
        func closePatient() {
            closeOrder()
            if pid != nil || !orders.isEmpty { patients.append(Patient(pid: pid, orders: orders)) }
            pid = nil
            orders = []
        }
        for segment in message.segments {
            switch segment.id {
            case "PID":
                closePatient()
                pid = segment
            case "ORC":
                closeOrder()
                orc = segment
            case "OBR":
                if obr != nil { closeOrder() }
                obr = segment
            case "OBX":
                closeObservation()
                obx = segment
            case "NTE" where obx != nil:
                notes.append(segment)
            default:
                break
            }
        }
        closePatient()
        self.patients = patients
    }
}
