import random, subprocess, os
random.seed(int(os.environ.get("SEED","4")))
SQ=os.environ.get("SQ","/tmp/ref/sq")
alpha=["a","b","A","B","%","_","\\\\"[0],"é","€","😀"," ","x","[","]","^","-","*","?","0","1"]
def rstr(n=None):
    n=random.randint(0,7) if n is None else n
    s="".join(random.choice(alpha) for _ in range(n))
    e="'"+s.replace("'","''")+"'"
    r=random.random()
    if r<0.1: e="CAST(x'%s' AS TEXT) || %s" % (random.choice(["c3","80","e282","ff","c3a9","00"]), e)
    elif r<0.15: e="x'%s'" % "".join(random.choice(["41","c3","a9","00","ff","62"]) for _ in range(random.randint(0,4)))
    elif r<0.2: e=random.choice(["NULL","12","-3","1.5","0"])
    return e
def rint(): return random.choice(["0","1","2","3","-1","-2","-5","10","NULL","'2'","1.7","-9223372036854775808","9223372036854775807"])
exprs=[]
for i in range(8000):
    f=random.choice(["substr2","substr3","instr","replace","trim","ltrim","rtrim","trim2","like","like3","glob","length","octet_length","upper","lower","hex","quote","unicode","char","unhex","unhex2","concat","concat_ws","unistr","max","min","nullif","printfs"])
    if f=="substr2": e="substr(%s, %s)" % (rstr(), rint())
    elif f=="substr3": e="substr(%s, %s, %s)" % (rstr(), rint(), rint())
    elif f=="instr": e="instr(%s, %s)" % (rstr(), rstr(random.randint(0,2)))
    elif f=="replace": e="replace(%s, %s, %s)" % (rstr(), rstr(random.randint(0,2)), rstr(random.randint(0,3)))
    elif f in ("trim","ltrim","rtrim"): e="%s(%s)" % (f, rstr())
    elif f=="trim2": e="%s(%s, %s)" % (random.choice(["trim","ltrim","rtrim"]), rstr(), rstr(random.randint(0,3)))
    elif f=="like": e="like(%s, %s)" % (rstr(random.randint(0,4)), rstr())
    elif f=="like3": e="like(%s, %s, %s)" % (rstr(random.randint(0,4)), rstr(), random.choice(["'\\'","'%'","'_'","'a'","'é'"]))
    elif f=="glob": e="glob(%s, %s)" % (rstr(random.randint(0,5)), rstr())
    elif f=="char": e="char(%s)" % ", ".join(random.choice(["65","233","8364","128512","0","-1","55296","1114111","1114112","NULL","'66'"]) for _ in range(random.randint(0,3)))
    elif f=="unhex": e="unhex(%s)" % random.choice(["'41'","'4142'","'4'","'zz'","' 41'","'41 '","'4 1'","''","'aBcD'","'é41'"])
    elif f=="unhex2": e="unhex(%s, %s)" % (random.choice(["'41 42'","'41-42'","'41é42'","' 41 '","'4 142'"]), random.choice(["' '","'-'","'é'","''","' -'"]))
    elif f in ("concat","max","min"): e="%s(%s)" % (f, ", ".join(rstr() for _ in range(random.randint(1 if f=="concat" else 2,4))))
    elif f=="concat_ws": e="concat_ws(%s)" % ", ".join(rstr() for _ in range(random.randint(2,4)))
    elif f=="nullif": e="nullif(%s, %s)" % (rstr(1), rstr(1))
    elif f=="unistr": e="unistr(%s)" % random.choice(["'a\\0041'","'\\u00e9x'","'\\+01F600'","'\\U0001F600'","'\\\\'","'\\'","'\\u12'","'\\D800'","'\\U00110000'","'abc'"])
    elif f=="printfs": e="printf(%s, %s)" % (random.choice(["'%s'","'%.2s'","'%!.2s'","'%5s'","'%!5s'","'%-5s|'","'%q'","'%Q'","'%w'","'%c'","'%.3c'","'%!.2q'","'%#q'","'%#Q'","'%j'","'%J'","'%!.2j'"]), rstr())
    else: e="%s(%s)" % (f, rstr())
    exprs.append(e)
out=[]
for i in range(0,len(exprs),400):
    chunk=exprs[i:i+400]
    r=subprocess.run([SQ]+["SELECT "+e for e in chunk],capture_output=True,env={**os.environ,"HEXOUT":"1"}).stdout.decode("latin-1").strip("\n").split("\n")
    assert len(r)==len(chunk),(len(r),len(chunk))
    out += [e+"\t"+l for e,l in zip(chunk,r)]
open(os.environ.get("OUT","strings.tsv"),"w").write("\n".join(out)+"\n")
print(len(out))
