public enum SampleLogKitStub {}
