package org.pvmakka.internal.bridge.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** The C structures libpvm returns; read once right after the call and copied out. */
final class Structs {
    private Structs() {
    }

    /** struct pvmhostinfo { int hi_tid; char *hi_name; char *hi_arch; int hi_speed; int hi_dsig; }. */
    @Structure.FieldOrder({"hi_tid", "hi_name", "hi_arch", "hi_speed", "hi_dsig"})
    public static class PvmHostInfo extends Structure {
        public int hi_tid;
        public String hi_name;
        public String hi_arch;
        public int hi_speed;
        public int hi_dsig;

        public PvmHostInfo() {
        }

        public PvmHostInfo(Pointer p) {
            super(p);
            read();
        }
    }

    /** struct pvmtaskinfo { int ti_tid, ti_ptid, ti_host, ti_flag; char *ti_a_out; int ti_pid; }. */
    @Structure.FieldOrder({"ti_tid", "ti_ptid", "ti_host", "ti_flag", "ti_a_out", "ti_pid"})
    public static class PvmTaskInfo extends Structure {
        public int ti_tid;
        public int ti_ptid;
        public int ti_host;
        public int ti_flag;
        public String ti_a_out;
        public int ti_pid;

        public PvmTaskInfo() {
        }

        public PvmTaskInfo(Pointer p) {
            super(p);
            read();
        }
    }
}
