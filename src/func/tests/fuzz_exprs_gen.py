import random, subprocess, os
random.seed(int(os.environ.get("SEED","2")))
SQ=os.environ.get("SQ", "/tmp/ref/sq")
def q(s): return "'" + s.replace("'","''") + "'"
nums=["0","1","-1","42","-42","255","3.14159","-2.5","0.5","1e100","-1e-100","123456789012","9223372036854775807","-9223372036854775808","0.0","1.5e300","2.675","0.125","99.995","1e15","1e16","1e17","7","0.001","'abc'","'12x'","NULL","x'41'","'héllo'","''","1e300*1e10","-1e300*1e10"]
strs=["'abc'","'héllo wörld'","''","NULL","'it''s'","12","1.5","x'414243'","'a\"b'","'a'||char(10)||'b'"]
exprs=[]
for i in range(4000):
    conv=random.choice("diuxXofeEgGscqQwr%")
    flags="".join(random.sample("-+ 0#,!",random.randint(0,3)))
    w=random.choice(["","","5","12","1","0"])
    p=random.choice(["","",".0",".1",".3",".10",".17",".20"])
    l=random.choice(["","","l","ll"])
    fmt="%"+flags+w+p+l+conv
    arg=random.choice(strs if conv in "scqQw" else nums)
    exprs.append("printf(%s, %s)" % (q(fmt+"|"), arg))
chars=list("0123456789.eE+- x")+["1","2","5","9"]
for i in range(3000):
    s="".join(random.choice(chars) for _ in range(random.randint(0,10)))
    t=random.choice(["INTEGER","REAL","NUMERIC","TEXT"])
    k=i%4
    if k==0: exprs.append("CAST(%s AS %s)" % (q(s),t))
    elif k==1: exprs.append("%s + 0" % q(s))
    elif k==2: exprs.append("%s * 1.0" % q(s))
    else: exprs.append("%s - 1" % q(s))
for i in range(2000):
    d=random.choice(["%d"%random.randint(-10**random.randint(1,19),10**random.randint(1,19)), "%.*g"%(random.randint(1,17),random.uniform(-1e6,1e6)), "%de%d"%(random.randint(1,999),random.randint(-30,30))])
    e=random.choice(["%d"%random.randint(-10**random.randint(1,19),10**random.randint(1,19)), "%.*g"%(random.randint(1,17),random.uniform(-1e6,1e6)), "0", "%.3f"%random.uniform(-10,10)])
    op=random.choice(["+","-","*","/"])
    exprs.append("(%s) %s (%s)" % (d,op,e))
    exprs.append("round(%s, %d)" % (d, random.randint(-1,20)))
out=[]
for i in range(0,len(exprs),400):
    chunk=exprs[i:i+400]
    r=subprocess.run([SQ]+["SELECT "+e for e in chunk],capture_output=True,env={**os.environ,"HEXOUT":"1"}).stdout.decode("latin-1").strip("\n").split("\n")
    assert len(r)==len(chunk),(len(r),len(chunk),chunk)
    for e,line in zip(chunk,r):
        out.append(e+"\t"+line)
open(os.environ.get("OUT","exprs.tsv"),"w").write("\n".join(out)+"\n")
print(len(out))
